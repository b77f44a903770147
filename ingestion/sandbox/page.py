"""The admin's page about the sandbox: its test addresses and the Interviewers it knows."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from ingestion.client import INGEST_PATH
from ingestion.models import SandboxCandidate
from ingestion.sandbox.events import interview_score
from ingestion.sandbox.failures import TEST_ADDRESSES, SandboxAddress, timeout_seconds
from ingestion.sandbox.interviewers import accepted_interviewer_ids, interviewer_known
from recruiting.models import Interviewer

INTERVIEWERS_SHOWN = 50


@dataclass(frozen=True)
class AddressRow:
    """One test address as the page shows it."""

    address: SandboxAddress
    answer: str  # the status line, in words
    body: str  # the JSON of the answer, or ""


def sandbox_path() -> str:
    """Where this app serves the sandbox: the base URL the client would be given."""
    return reverse("sandbox:ingest_candidates").removesuffix(INGEST_PATH)


def sandbox_in_use() -> bool:
    """The sandbox is on and the app sends to it (an API URL whose path is the sandbox's)."""
    if not settings.INTERVIEWFLOW_SANDBOX_ENABLED:
        return False
    return urlsplit(settings.INTERVIEWFLOW_API_URL).path.rstrip("/") == sandbox_path()


def sandbox_page_url() -> str:
    """The page's address while the app sends to the sandbox; otherwise nothing to link to."""
    return reverse("sandbox_page") if sandbox_in_use() else ""


def sandbox_page(request: HttpRequest) -> TemplateResponse:
    if not settings.INTERVIEWFLOW_SANDBOX_ENABLED:
        raise Http404("The sandbox is turned off.")
    may_see_interviewers = request.user.has_perm("recruiting.view_interviewer")
    return TemplateResponse(
        request,
        "admin/ingestion/sandbox.html",
        {
            **admin.site.each_context(request),
            "title": "The sandbox API",
            "in_use": sandbox_in_use(),
            "api_url": settings.INTERVIEWFLOW_API_URL,
            "sandbox_url": request.build_absolute_uri(sandbox_path()),
            "rows": [_row(address) for address in TEST_ADDRESSES],
            "accepted_ids": accepted_interviewer_ids(),
            "interviewers": _interviewers() if may_see_interviewers else None,
            "batch_size": settings.INTERVIEWFLOW_BATCH_SIZE,
        },
    )


def sandbox_report(request: HttpRequest, pk: int) -> TemplateResponse:
    """The report a sandbox interview links to: what a real scorecard page would be."""
    if not settings.INTERVIEWFLOW_SANDBOX_ENABLED:
        raise Http404("The sandbox is turned off.")
    candidate = get_object_or_404(SandboxCandidate, pk=pk)
    return TemplateResponse(
        request,
        "admin/ingestion/sandbox_report.html",
        {
            **admin.site.each_context(request),
            "title": f"Sandbox report: {candidate.name}",
            "candidate": candidate,
            "score": interview_score(candidate.email),
        },
    )


def _row(address: SandboxAddress) -> AddressRow:
    if address.status is None:
        answer = f"No answer for {timeout_seconds():g} s, then 201 Created"
    else:
        headers = "".join(f", {name}: {value}" for name, value in address.headers.items())
        answer = f"HTTP {address.status}{headers}"
    return AddressRow(address, answer, address.example_body)


def _interviewers() -> list[tuple[Interviewer, bool]]:
    """This app's Interviewers, each with whether the sandbox knows its id."""
    shown = Interviewer.objects.order_by("name")[:INTERVIEWERS_SHOWN]
    return [(interviewer, interviewer_known(interviewer.external_id)) for interviewer in shown]
