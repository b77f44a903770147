"""InterviewFlowAI's interview events: authenticate, bound, keep, answer; apply after."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ingestion.dispatch import webhook_event_apply_request
from ingestion.inbound.events import webhook_event_store
from ingestion.webhooks.receiving import (
    Refused,
    body_digest,
    bounded_body,
    json_object,
    same_secret,
)

logger = logging.getLogger(__name__)


@csrf_exempt
def interviewflow_webhook(request: HttpRequest, token: str) -> JsonResponse:
    # Checked before the method: with no token configured the receiver does not exist.
    expected = settings.INTERVIEWFLOW_WEBHOOK_TOKEN
    if not expected:
        raise Http404("No INTERVIEWFLOW_WEBHOOK_TOKEN is configured.")
    return _receive(request, token, expected)


@require_POST
def _receive(request: HttpRequest, token: str, expected: str) -> JsonResponse:
    if not same_secret(token, expected):
        return Refused(403, "This webhook URL is not the one configured.").response()
    try:
        raw = bounded_body(request)
        body = json_object(raw)
    except Refused as refused:
        return refused.response()
    event = webhook_event_store(
        raw=raw, body=body, headers=request.headers, fallback_id=body_digest(raw)
    )
    logger.info("Interview event #%s kept (%s, %s).", event.pk, event.event_type, event.state)
    webhook_event_apply_request(event)
    return JsonResponse({"received": True, "id": event.pk})
