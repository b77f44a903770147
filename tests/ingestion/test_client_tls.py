"""TLS failures: before the request goes out they are definite, after it they are unknown."""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from ingestion.client import IngestionClient, Outcome

BODY = {"interviewerId": "x", "data": [{"name": "Ada", "email": "ada@example.com"}]}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class TlsServer:
    """Accepts a TLS connection, reads the request, then answers with bytes that are not TLS."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.received = b""
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            raw, _ = self.sock.accept()
            with self.context.wrap_socket(raw, server_side=True) as conn:
                conn.settimeout(5)
                while b"ada@example.com" not in self.received:
                    if not (chunk := conn.recv(65536)):
                        break
                    self.received += chunk
                # Plain text where a TLS record belongs: the client's TLS layer fails after
                # the request went out.
                raw.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
                raw.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[TlsServer]:
    server = TlsServer(*certificate)
    yield server
    server.close()


def test_a_refused_certificate_is_a_definite_failure_and_nothing_is_sent(tls_server):
    client = IngestionClient(base_url=tls_server.url, api_key="k", timeout=3)

    exchange = client.ingest(BODY)

    assert exchange.outcome == Outcome.RETRY
    assert exchange.error_class == "SSLError"
    assert b"ada@example.com" not in tls_server.received


def test_a_tls_error_after_sending_is_an_unknown_outcome(tls_server, certificate):
    session = requests.Session()
    session.trust_env = False  # a CA bundle named in the environment would win over ours
    session.verify = str(certificate[0])
    client = IngestionClient(base_url=tls_server.url, api_key="k", timeout=3, session=session)

    exchange = client.ingest(BODY)

    assert b"ada@example.com" in tls_server.received
    # urllib3 reports a TLS failure after sending as a broken connection, not an SSLError
    # (that one only comes from the handshake): either way, nothing says what was created.
    assert exchange.error_class == "ConnectionError"
    assert exchange.outcome == Outcome.UNKNOWN


def test_any_other_tls_error_is_treated_as_unknown_never_resent_on_its_own():
    # A server that answers a TLS hello in plain text. urllib3 reports this handshake
    # failure exactly as it would one after the body went out, so it cannot be told apart.
    with socket.create_server(("127.0.0.1", 0)) as server:

        def answer_in_plain_text() -> None:
            with contextlib.suppress(OSError):
                conn, _ = server.accept()
                with conn:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

        thread = threading.Thread(target=answer_in_plain_text, daemon=True)
        thread.start()
        url = f"https://127.0.0.1:{server.getsockname()[1]}"

        exchange = IngestionClient(base_url=url, api_key="k", timeout=3).ingest(BODY)
        thread.join(timeout=5)

    assert exchange.error_class == "SSLError"
    assert exchange.outcome == Outcome.UNKNOWN
