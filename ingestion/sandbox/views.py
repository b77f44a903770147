"""A stand-in for the InterviewFlowAI Ingestion API, so the app works with no account."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ingestion.models import SandboxCandidate
from ingestion.payloads import body_errors, body_interviewer_id, body_items
from ingestion.sandbox import failures
from ingestion.sandbox.events import events_after_push
from ingestion.sandbox.interviewers import NOT_FOUND, interviewer_known
from recruiting.rules import normalise_email

SANDBOX_NAMESPACE = uuid.UUID("6f1c3a52-8d0e-4a7b-9a51-3f0d2c7e9b10")
logger = logging.getLogger(__name__)


@csrf_exempt
def ingest_candidates(request: HttpRequest) -> JsonResponse:
    # Checked before the method, so that a turned-off sandbox does not exist at all.
    if not settings.INTERVIEWFLOW_SANDBOX_ENABLED:
        raise Http404("The sandbox is turned off.")
    return _ingest(request)


def key_refusal(request: HttpRequest) -> JsonResponse | None:
    """A 401 unless the request carries the sandbox's key, as upstream answers a wrong one."""
    expected = settings.INTERVIEWFLOW_SANDBOX_API_KEY
    key = request.headers.get("X-API-KEY", "")
    # An empty configured key must not match a missing header.
    if not expected or not constant_time_compare(key, expected):
        return JsonResponse({"message": "Invalid API key."}, status=401)
    return None


@require_POST
def _ingest(request: HttpRequest) -> JsonResponse:
    if refusal := key_refusal(request):
        return refusal
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        message = "The body is not valid JSON."
        return JsonResponse({"message": message, "errors": {"body": [message]}}, status=400)
    if errors := body_errors(body):
        return JsonResponse({"message": "Validation failed.", "errors": errors}, status=400)
    if found := failures.request_failure(body_items(body)):
        address, positions = found
        if address.status is not None:
            answer = failures.failure_response(address, positions)
            return _on_purpose(answer, f"the test address +{address.tag}")
        # No answer in time; then the request goes on, as one that was slow upstream.
        time.sleep(failures.timeout_seconds())
    interviewer_id = body_interviewer_id(body)
    if not interviewer_known(interviewer_id):
        unknown = JsonResponse(NOT_FOUND, status=404)
        return _on_purpose(unknown, f"the unknown interviewer id {interviewer_id!r}")
    status = body.get("status", "shortlisted")
    created = [_created(interviewer_id, item, status) for item in body_items(body)]
    events_after_push([item["id"] for item in created], app_url=request.build_absolute_uri("/"))
    return JsonResponse({"data": created}, status=201)


def _on_purpose(response: JsonResponse, why: str) -> JsonResponse:
    """A failure the sandbox answers by design: logged as such, not as an error of the app."""
    logger.info("The sandbox answered HTTP %s for %s.", response.status_code, why)
    # Django logs every 4xx and 5xx answer as a warning or an error of this app (which Sentry
    # would report) unless the response says that it has been logged already.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _created(interviewer_id: str, item: dict[str, Any], status: str) -> dict[str, str]:
    email = normalise_email(item["email"])
    # The same candidate of the same Interviewer always gets the same id.
    candidate_id = str(uuid.uuid5(SANDBOX_NAMESPACE, f"{interviewer_id}:{email}"))
    # Kept for the sandbox's Fetch API; the same candidate ingested again stays one.
    SandboxCandidate.objects.update_or_create(
        external_id=candidate_id,
        defaults={
            "interviewer_id": interviewer_id,
            "name": item["name"],
            "email": email,
            "status": status,
            "additional_fields": item.get("additionalFields") or {},
        },
    )
    return {"id": candidate_id, "name": item["name"], "email": email, "status": status}
