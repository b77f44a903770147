"""An upstream that quotes the API key back, through every outcome: the key is kept nowhere."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH
from ingestion.delivery.housekeeping import delivery_resume
from ingestion.dispatch import candidates_push_request
from ingestion.models import IngestionRequest, PushBatch, Trigger
from ingestion.resources import IngestionRequestResource
from recruiting.models import Candidate
from recruiting.resources import CandidateResource
from tests.conftest import API_KEY
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)
# Every kind of answer: accepted, refused, a rejected key, rate-limited, unknown, unavailable.
STATUSES = [201, 400, 401, 404, 422, 429, 500, 502, 503, 504]


class EchoingUpstream:
    """Answers each request with the next status, quoting the key it was sent every way."""

    def __init__(self) -> None:
        self.statuses = iter(STATUSES)

    def __call__(self, request: Request) -> Response:
        key = request.headers["X-API-KEY"]
        body = {
            "message": f"invalid API key {key}",
            "error": f"X-API-KEY: {key!r}",
            "errors": {"data.0.email": [f"rejected for key {key}"]},
            "data": [{"id": key, "email": json.loads(request.data)["data"][0]["email"]}],
        }
        return Response(json.dumps(body), status=next(self.statuses), mimetype="application/json")


def admin_pages(client) -> list[str]:
    """Every page staff may open about these candidates and requests."""
    urls = [
        reverse("admin:index"),
        reverse("admin:recruiting_candidate_changelist"),
        reverse("admin:ingestion_ingestionrequest_changelist"),
        reverse("admin:recruiting_candidate_changelist") + "?state__exact=unconfirmed",
    ]
    urls += [reverse("admin:recruiting_candidate_change", args=[pk]) for pk in _pks(Candidate)]
    urls += [
        reverse("admin:ingestion_ingestionrequest_change", args=[pk])
        for pk in _pks(IngestionRequest)
    ]
    for pk in _pks(PushBatch):
        urls += [
            reverse("admin:ingestion_push_progress", args=[pk]),
            reverse("admin:ingestion_push_progress_json", args=[pk]),
        ]
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return pages


def _pks(model) -> list[int]:
    return list(model.objects.values_list("pk", flat=True))


def test_a_key_quoted_back_through_every_outcome_is_stored_and_shown_nowhere(
    api: HTTPServer, admin_client, caplog
):
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(EchoingUpstream())
    interviewer = InterviewerFactory()
    summaries = []
    with caplog.at_level(logging.DEBUG):
        for _ in STATUSES:
            candidate = CandidateFactory(interviewer=interviewer)
            result = candidates_push_request(candidate_ids=[candidate.pk], trigger=Trigger.ADMIN)
            summaries.append(str(result))
            delivery_resume()  # after the 401, so that the next answer is asked for

    assert IngestionRequest.objects.count() == len(STATUSES)
    assert Candidate.objects.filter(last_error__contains="[redacted]").exists()
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    exports = [
        IngestionRequestResource().export().csv,
        CandidateResource().export().csv,
    ]
    places = {
        "database": dump.getvalue(),
        "log": caplog.text,
        "exports": "".join(exports),
        "results": "".join(summaries),
        "admin pages": "".join(admin_pages(admin_client)),
    }
    assert {name: text.count(API_KEY) for name, text in places.items()} == dict.fromkeys(places, 0)
    assert "[redacted]" in places["admin pages"]
