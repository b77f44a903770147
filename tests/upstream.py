"""A stand-in for the Ingestion API that answers as documented and remembers what it got."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH

GATE_TIMEOUT = 30


class Upstream:
    """Answers like the Ingestion API (201, an id per candidate) and keeps every body.

    A body is kept when it arrives. With a `gate`, each request then waits for the gate to
    open before it is answered; `answered` counts the requests answered so far.
    """

    def __init__(self, delay: float = 0.0, *, gate: threading.Event | None = None) -> None:
        self.delay = delay
        self.gate = gate
        self.bodies: list[dict] = []
        self.answered = 0
        self.arrived = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.data)
        with self._lock:
            self.bodies.append(body)
        self.arrived.set()
        if self.gate is not None:
            assert self.gate.wait(GATE_TIMEOUT), "the test never opened the gate"
        time.sleep(self.delay)
        data = [{"id": f"id-{item['email']}", "email": item["email"]} for item in body["data"]]
        with self._lock:
            self.answered += 1
        return Response(json.dumps({"data": data}), status=201, content_type="application/json")

    @property
    def emails(self) -> Counter[str]:
        return Counter(item["email"] for body in self.bodies for item in body["data"])


def answer(api: HTTPServer, status: int, body: object = "", **headers: str) -> None:
    """Answer every push with this status, body (text, or JSON for anything else) and headers."""
    text = body if isinstance(body, str) else json.dumps(body)
    api.expect_request(INGEST_PATH, method="POST").respond_with_data(
        text, status=status, headers=headers, content_type="application/json"
    )


def created(request: Request) -> Response:
    """Answer like InterviewFlowAI: 201 with an id per candidate."""
    body = request.get_json()
    data = [{"id": f"c-{i}", **item} for i, item in enumerate(body["data"])]
    return Response(json.dumps({"data": data}), status=201, content_type="application/json")


def accept_pushes(api) -> None:
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(created)
