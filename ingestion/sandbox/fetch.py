"""The sandbox's Fetch API: the candidates it accepted, paged as upstream would page them."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ingestion.models import SandboxCandidate
from ingestion.sandbox.views import key_refusal

LIMIT_MAX = 100


@csrf_exempt
def fetch_candidates(request: HttpRequest) -> JsonResponse:
    if not settings.INTERVIEWFLOW_SANDBOX_ENABLED:
        raise Http404("The sandbox is turned off.")
    return _fetch(request)


@require_POST
def _fetch(request: HttpRequest) -> JsonResponse:
    if refusal := key_refusal(request):
        return refusal
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):
        return JsonResponse({"message": "The body is not valid JSON."}, status=400)
    if errors := fetch_errors(body):
        return JsonResponse({"message": "Validation failed.", "errors": errors}, status=400)
    page, limit = body.get("page", 1), min(body.get("limit", LIMIT_MAX), LIMIT_MAX)
    matching = [c for c in _candidates(body) if _fields_match(c, body.get("additionalFields"))]
    shown = matching[(page - 1) * limit : page * limit]
    return JsonResponse(
        {"data": [fetched(c) for c in shown], "page": page, "limit": limit, "total": len(matching)}
    )


def fetch_errors(body: Any) -> dict[str, list[str]]:
    """The documented body: interviewerId required; page and limit whole numbers from 1."""
    if not isinstance(body, dict):
        return {"body": ["The body must be a JSON object."]}
    errors: dict[str, list[str]] = {}
    if not isinstance(body.get("interviewerId"), str) or not body["interviewerId"].strip():
        errors["interviewerId"] = ["This field is required and must be a string."]
    for key in ("page", "limit"):
        value = body.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors[key] = ["Must be a whole number from 1."]
    if "additionalFields" in body and not isinstance(body["additionalFields"], dict):
        errors["additionalFields"] = ["Must be a JSON object."]
    return errors


def fetched(candidate: SandboxCandidate) -> dict[str, Any]:
    return {
        "id": candidate.external_id,
        "name": candidate.name,
        "email": candidate.email,
        "status": candidate.status,
        "interviewStatus": candidate.interview_status or None,
        "additionalFields": candidate.additional_fields,
    }


def _candidates(body: dict[str, Any]) -> list[SandboxCandidate]:
    candidates = SandboxCandidate.objects.filter(interviewer_id=body["interviewerId"].strip())
    if body.get("interviewId"):
        candidates = candidates.filter(external_id=str(body["interviewId"]))
    return list(candidates)


def _fields_match(candidate: SandboxCandidate, wanted: Any) -> bool:
    """As documented: a number matches values at least as large, a string matches exactly."""
    for key, value in (wanted or {}).items():
        have = candidate.additional_fields.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not isinstance(have, int | float) or isinstance(have, bool) or have < value:
                return False
        elif have != value:
            return False
    return True
