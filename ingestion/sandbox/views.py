"""A stand-in for the InterviewFlowAI Ingestion API, so the app works with no account."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ingestion.payloads import body_errors

SANDBOX_NAMESPACE = uuid.UUID("6f1c3a52-8d0e-4a7b-9a51-3f0d2c7e9b10")


@csrf_exempt
@require_POST
def ingest_candidates(request: HttpRequest) -> JsonResponse:
    if not settings.INTERVIEWFLOW_SANDBOX_ENABLED:
        raise Http404("The sandbox is turned off.")
    key = request.headers.get("X-API-KEY", "")
    if not constant_time_compare(key, settings.INTERVIEWFLOW_SANDBOX_API_KEY):
        return JsonResponse({"message": "Invalid API key."}, status=401)
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"message": "The body is not valid JSON."}, status=400)
    if errors := body_errors(body):
        return JsonResponse({"message": "Validation failed.", "errors": errors}, status=400)
    created = [
        {
            "id": str(uuid.uuid5(SANDBOX_NAMESPACE, f"{body['interviewerId']}:{item['email']}")),
            "name": item["name"],
            "email": item["email"].lower(),
            "status": body.get("status", "shortlisted"),
        }
        for item in body["data"]
    ]
    return JsonResponse({"data": created}, status=201)
