"""A strict fake of InterviewFlowAI: ingests and fetches as documented, with faults on demand.

It checks the key and every body as the documentation describes them, keeps the candidates
it created, and pages them on the Fetch API in the shape a test picks.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ingestion.client import FETCH_PATH, INGEST_PATH
from ingestion.payloads import body_errors
from tests.conftest import API_KEY

SHAPES = {
    "data": lambda page: {"data": page},
    "data.candidates": lambda page: {"data": {"candidates": page, "total": None}},
    "data.items": lambda page: {"data": {"items": page}},
    "items": lambda page: {"items": page, "page": None},
}


@dataclass
class FakeInterviewFlow:
    """What the fake holds and how it misbehaves, set by each test."""

    shape: str = "data"
    # Ingest: "create" answers 201; "timeout" creates, then answers too late; "502" creates
    # nothing and answers 502 Bad Gateway.
    ingest_mode: str = "create"
    late_by: float = 1.0
    fetch_status: int = 200
    fail_fetch_page: int | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    created: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fetches: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, server: HTTPServer) -> FakeInterviewFlow:
        server.expect_request(INGEST_PATH, method="POST").respond_with_handler(self.ingest)
        server.expect_request(FETCH_PATH, method="POST").respond_with_handler(self.fetch)
        return self

    def add(self, interviewer_id: str, *emails: str) -> None:
        for email in emails:
            self._create(interviewer_id, {"name": email.split("@")[0], "email": email})

    def ingest(self, request: Request) -> Response:
        body, refusal = self._checked(request)
        if refusal:
            return refusal
        if self.ingest_mode == "502":
            return _json({"message": "Bad gateway."}, 502)
        items = [self._create(body["interviewerId"], item) for item in body["data"]]
        if self.ingest_mode == "timeout":
            time.sleep(self.late_by)
        return _json({"data": items}, 201)

    def fetch(self, request: Request) -> Response:
        body, refusal = self._checked(request, fetch=True)
        if refusal:
            return refusal
        with self._lock:
            self.fetches.append(body)
        page, limit = body.get("page", 1), body.get("limit", 100)
        if page == self.fail_fetch_page or self.fetch_status != 200:
            return _json(
                {"message": "Upstream trouble."},
                self.fetch_status if self.fetch_status != 200 else 502,
            )
        everyone = self.created.get(body["interviewerId"], [])
        return _json(SHAPES[self.shape](everyone[(page - 1) * limit : page * limit]), 200)

    def _checked(self, request: Request, *, fetch: bool = False) -> tuple[Any, Response | None]:
        if request.headers.get("X-API-KEY") != API_KEY:
            return None, _json({"message": "Invalid API key."}, 401)
        try:
            body = json.loads(request.data)
        except ValueError:
            return None, _json({"message": "The body is not JSON."}, 400)
        errors = _fetch_errors(body) if fetch else body_errors(body)
        return body, (
            _json({"message": "Validation failed.", "errors": errors}, 400) if errors else None
        )

    def _create(self, interviewer_id: str, item: dict[str, Any]) -> dict[str, Any]:
        email = item["email"].lower()
        created = {"id": f"cand-{email}", "name": item["name"], "email": email}
        if email in self.statuses:
            created["interviewStatus"] = self.statuses[email]
        with self._lock:
            self.created.setdefault(interviewer_id, []).append(created)
        return created


def _fetch_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict) or not isinstance(body.get("interviewerId"), str):
        return {"interviewerId": ["This field is required and must be a string."]}
    bad = [
        key
        for key in ("page", "limit")
        if key in body and not (isinstance(body[key], int) and body[key] >= 1)
    ]
    return {key: ["Must be a whole number from 1."] for key in bad}


def _json(body: Any, status: int) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
