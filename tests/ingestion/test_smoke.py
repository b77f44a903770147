import pytest

from ingestion.dispatch import candidates_push_request
from ingestion.models import IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.conftest import API_KEY
from tests.delivery import assert_key_stored_nowhere, queued_ids
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_push_sends_queued_candidates_and_records_history(api, ingest_path):
    api.expect_request(
        ingest_path, method="POST", headers={"X-API-KEY": API_KEY}
    ).respond_with_json({"data": [{"id": "a1", "email": "candidate0@example.com"}]}, status=201)
    candidate = CandidateFactory(email="Candidate0@Example.com")
    result = candidates_push_request(candidate_ids=[candidate.pk], trigger=Trigger.ADMIN)
    candidate.refresh_from_db()
    assert queued_ids(result) == [candidate.pk]
    assert candidate.state == Candidate.State.SENT
    assert candidate.upstream_id == "a1"
    request = IngestionRequest.objects.get()
    assert request.http_status == 201
    assert request.request_body["data"][0]["email"] == "candidate0@example.com"
    # The key went to InterviewFlowAI as the X-API-KEY header, and was kept nowhere here.
    ((received, _),) = api.log
    assert received.headers["X-API-KEY"] == API_KEY
    assert_key_stored_nowhere()
