"""Real sockets that misbehave: the network faults an HTTP test server will not produce."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Callable, Iterator

# Answers a request on a raw connection; True waits for another request on it (keep-alive).
Reply = Callable[[socket.socket], bool | None]


class RawServer:
    """A bare TCP server that reads each HTTP request whole, then does what `reply` says."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.requests: list[bytes] = []
        self.connections = 0
        self.open: socket.socket | None = None
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def bodies(self) -> list[bytes]:
        return [request.partition(b"\r\n\r\n")[2] for request in self.requests]

    def close(self) -> None:
        # Shutting down wakes the thread from a blocked accept() or recv().
        for sock in (self.sock, self.open):
            if sock is not None:
                with contextlib.suppress(OSError):  # already closed by the other side
                    sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self.open = conn
            with conn:
                conn.settimeout(5)
                while request := _read_request(conn):
                    self.requests.append(request)
                    if not self.reply(conn):
                        break


def _read_request(conn: socket.socket) -> bytes:
    """One request, head and body; empty when the client closed the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        if not (chunk := conn.recv(65536)):
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def hang_up(conn: socket.socket) -> None:
    """End the connection after reading the request: the client gets no answer at all."""
    conn.shutdown(socket.SHUT_RDWR)


def reset(conn: socket.socket) -> None:
    """Close with SO_LINGER 0, so the kernel answers with a TCP RST instead of a FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def created(conn: socket.socket) -> bool:
    """Answer 201 and keep the connection open for the next request."""
    body = b'{"data": []}'
    conn.sendall(
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    return True


def closed_port_url() -> str:
    """The URL of a port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextlib.contextmanager
def full_backlog() -> Iterator[str]:
    """The URL of a listener that never accepts and whose backlog is full: connecting hangs.

    A non-routable address such as 10.255.255.1 does not time out on every network (some
    sandboxes answer for any address), so the connect timeout is produced locally.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers: list[socket.socket] = []
    try:
        while True:  # connect until one hangs: from then on the backlog is full
            filler = socket.socket()
            filler.settimeout(0.2)
            fillers.append(filler)
            try:
                filler.connect(address)
            except TimeoutError:
                break
            if len(fillers) > 64:
                raise RuntimeError("the listen backlog never filled up")
        yield f"http://{address[0]}:{address[1]}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
