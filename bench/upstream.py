"""A stand-in for the Ingestion API, in a process of its own, for the benchmarks.

It answers every POST like the Ingestion API (201 and an id per candidate) after a fixed
delay, and counts what it received. It runs in its own process, as InterviewFlowAI runs on
another machine: in the measuring process its threads would compete for the interpreter
with the code being measured. `GET /bench/stats` and `POST /bench/reset` read and clear
its counts.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
import urllib.request
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "push-bench-key"
INGEST_PATH = "/api/external/ingest/candidates"
STATS_PATH = "/bench/stats"
RESET_PATH = "/bench/reset"


class Upstream(ThreadingHTTPServer):
    """Answers every POST after `delay`, and counts requests, bytes, connections and emails."""

    daemon_threads = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), Answer)
        self.delay = delay
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.emails: Counter[str] = Counter()
            self.requests = 0
            self.connections = 0
            self.bytes = 0

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "requests": self.requests,
                "connections": self.connections,
                "bytes": self.bytes,
                "emails": len(self.emails),
                "repeated": sum(1 for count in self.emails.values() if count > 1),
                # candidate.<n>@example.com: distinct numbers from 0 to size - 1 are them all.
                **_number_range(self.emails),
            }


def _number_range(emails: Counter[str]) -> dict[str, Any]:
    numbers = [
        int(email.removeprefix("candidate.").removesuffix("@example.com"))
        for email in emails
        if email.startswith("candidate.") and email.endswith("@example.com")
    ]
    return {
        "others": len(emails) - len(numbers),
        "lowest": min(numbers, default=None),
        "highest": max(numbers, default=None),
    }


class Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as InterviewFlowAI's HTTPS endpoint offers
    disable_nagle_algorithm = True
    server: Upstream

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_GET(self) -> None:
        self.reply(200, self.server.stats() if self.path == STATS_PATH else {})

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == RESET_PATH:
            self.server.reset()
            self.reply(200, {})
            return
        if self.path != INGEST_PATH or self.headers.get("X-API-KEY") != API_KEY:
            self.reply(404 if self.path != INGEST_PATH else 401, {"message": "No."})
            return
        items = json.loads(raw)["data"]
        time.sleep(self.server.delay)
        with self.server.lock:
            self.server.requests += 1
            self.server.bytes += len(raw)
            self.server.emails.update(item["email"] for item in items)
        data = [{"id": str(uuid.uuid4()), "email": item["email"]} for item in items]
        self.reply(201, {"data": data})

    def reply(self, status: int, body: Any) -> None:
        content = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(delay: float, port: Any) -> None:
    server = Upstream(delay)
    port.send(server.server_address[1])
    server.serve_forever()


class UpstreamProcess:
    """The stand-in API, started in a child process; stopped with `stop()`."""

    def __init__(self, delay: float) -> None:
        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(delay, sending), daemon=True)
        self.process.start()
        self.url = f"http://127.0.0.1:{receiving.recv()}"

    def reset(self) -> None:
        urllib.request.urlopen(urllib.request.Request(self.url + RESET_PATH, b"", method="POST"))

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url + STATS_PATH) as answer:
            return json.load(answer)

    def stop(self) -> None:
        self.process.terminate()
        self.process.join()
