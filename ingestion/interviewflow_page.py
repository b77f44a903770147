"""The admin's page for whoever configures InterviewFlowAI: the settings, and the URL to paste."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from ingestion.client import FETCH_PATH, INGEST_PATH
from ingestion.models import WebhookEvent

HIDDEN = "•" * 12
PERMISSION = "ingestion.view_webhookevent"


@dataclass(frozen=True)
class Setting:
    name: str
    value: str
    meaning: str


def interviewflow_page(request: HttpRequest) -> TemplateResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "admin/ingestion/interviewflow.html",
        {
            **admin.site.each_context(request),
            "title": "InterviewFlowAI settings",
            "webhook_url": webhook_url(request, reveal=request.user.is_superuser),
            "revealed": request.user.is_superuser,
            "settings_rows": settings_rows(),
            "inbox": inbox_counts(),
            "inbox_url": reverse("admin:ingestion_webhookevent_changelist"),
        },
    )


def webhook_url(request: HttpRequest, *, reveal: bool) -> str:
    """The receiver's address for InterviewFlowAI's settings; its token hidden unless `reveal`."""
    token = settings.INTERVIEWFLOW_WEBHOOK_TOKEN
    if not token:
        return ""
    path = reverse("interviewflow_webhook", args=[token if reveal else "TOKEN"])
    url = request.build_absolute_uri(path)
    return url if reveal else url.replace("TOKEN", HIDDEN)


def settings_rows() -> list[Setting]:
    api = settings.INTERVIEWFLOW_API_URL.rstrip("/")
    token_set = "set" if settings.INTERVIEWFLOW_WEBHOOK_TOKEN else "not set: the receiver is off"
    return [
        Setting("INTERVIEWFLOW_API_URL", api, f"Pushes go to {api}{INGEST_PATH}."),
        Setting(
            "INTERVIEWFLOW_API_KEY",
            "set" if settings.INTERVIEWFLOW_API_KEY else "not set",
            "Sent as X-API-KEY; never shown, stored or logged.",
        ),
        Setting(
            "INTERVIEWFLOW_TIMEOUT",
            f"{settings.INTERVIEWFLOW_TIMEOUT:g} s",
            "Connect and read timeout, pushes and the Fetch API alike.",
        ),
        Setting(
            "INTERVIEWFLOW_WEBHOOK_TOKEN",
            token_set,
            "The secret last part of the webhook URL above.",
        ),
        Setting(
            "INTERVIEWFLOW_FETCH_PAGE_SIZE",
            str(settings.INTERVIEWFLOW_FETCH_PAGE_SIZE),
            f"Candidates asked for per page of {api}{FETCH_PATH}.",
        ),
        Setting(
            "INTERVIEWFLOW_FETCH_MAX_PAGES",
            str(settings.INTERVIEWFLOW_FETCH_MAX_PAGES),
            "A walk stopped at this many pages proves nothing and changes nothing.",
        ),
        Setting(
            "INTERVIEWFLOW_RESEND_NOT_FOUND",
            "on" if settings.INTERVIEWFLOW_RESEND_NOT_FOUND else "off",
            "On: reconciliation queues the unconfirmed candidates it did not find, by itself. "
            "Off: staff resend them, with Resend… on the candidate list.",
        ),
    ]


def inbox_counts() -> list[tuple[str, str, int]]:
    """Events per state: (state, label, count), in the order of the states."""
    counts = dict(WebhookEvent.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return [(state, label, counts.get(state, 0)) for state, label in WebhookEvent.State.choices]
