"""A stand-in for the Ingestion API that answers as documented and remembers what it got."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

from werkzeug import Request, Response

HOLD_TIMEOUT = 60


class Upstream:
    """Answers like the Ingestion API (201, an id per candidate) and keeps every body."""

    def __init__(self, delay: float = 0.0, hold: threading.Event | None = None) -> None:
        self.delay = delay
        # When given, every answer waits until it is set (at most HOLD_TIMEOUT seconds).
        self.hold = hold
        self.bodies: list[dict] = []
        self.arrived = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.data)
        with self._lock:
            self.bodies.append(body)
        self.arrived.set()
        if self.hold is not None:
            self.hold.wait(timeout=HOLD_TIMEOUT)
        time.sleep(self.delay)
        data = [{"id": f"id-{item['email']}", "email": item["email"]} for item in body["data"]]
        return Response(json.dumps({"data": data}), status=201, content_type="application/json")

    @property
    def emails(self) -> Counter[str]:
        return Counter(item["email"] for body in self.bodies for item in body["data"])
