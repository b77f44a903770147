"""The delivery actions of the Candidate admin: push, preview, schedule and resend.

Each action calls one service and tells staff what happened with `push_report`, in the
words the commands print too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from ingestion.delivery.preview import selection_preview
from ingestion.delivery.queueing import Intent
from ingestion.delivery.report import Link, PushLine, push_messages
from ingestion.delivery.results import QueueResult
from ingestion.delivery.timeline import candidate_events, candidate_timeline
from ingestion.dispatch import candidates_push_request, candidates_schedule_push
from ingestion.forms import ResendForm, ScheduleForm
from ingestion.models import PushBatch, Trigger
from recruiting.action_pages import ActionPage, action_form_page, selection_context
from recruiting.models import Candidate
from recruiting.notices import LEVELS
from recruiting.permissions import PUSH_PERMISSION

UNCONFIRMED_WARNING = (
    "InterviewFlowAI did not confirm these deliveries: the candidates may or may not have been "
    "created. Check in InterviewFlowAI before resending, or they may receive a second "
    "invitation email. Reconciliation through the Fetch API settles them: those found become "
    "sent, those missing are marked safe to resend."
)
RESEND_PAGE = ActionPage(
    action="resend_action",
    form_class=ResendForm,
    title="Send the selected candidates again",
    submit_label="Resend",
)
SCHEDULE_PAGE = ActionPage(
    action="schedule_action",
    form_class=ScheduleForm,
    title="Schedule the invitations of the selected candidates",
    submit_label="Schedule",
)
PREVIEW_REQUESTS_SHOWN = 20
PREVIEW_SKIPPED_SHOWN = 100


def push_report(model_admin: admin.ModelAdmin, request: HttpRequest, result: QueueResult) -> None:
    """Tell staff where the candidates of a push stand, with links to follow it."""
    for line in push_messages(result):
        model_admin.message_user(request, _linked(line, result.batch), LEVELS[line.level])


def _linked(line: PushLine, batch: PushBatch | None) -> str:
    if batch is None or line.link == Link.NONE:
        return line.text
    progress = reverse("admin:ingestion_push_progress", args=[batch.pk])
    text = format_html(
        '{} <a href="{}" class="push-progress-link">Follow the progress.</a>', line.text, progress
    )
    if line.link == Link.PROGRESS:
        return text
    history = reverse("admin:ingestion_ingestionrequest_changelist")
    return format_html(
        '{} <a href="{}?candidates__push_batches__id__exact={}">See the history.</a>',
        text,
        history,
        batch.pk,
    )


class CandidateDeliveryActions:
    """Push and resend actions for the Candidate admin; the work is done by the services."""

    def has_push_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PUSH_PERMISSION)

    @admin.action(description="Push to InterviewFlowAI", permissions=["push"])
    def push_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        # The selection goes to the database as a query: never a list of its ids.
        result = candidates_push_request(
            candidate_ids=queryset, trigger=Trigger.ADMIN, user=request.user
        )
        push_report(self, request, result)

    @admin.action(description="Resend…", permissions=["push"])
    def resend_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        safe = queryset.filter(state=Candidate.State.UNCONFIRMED, not_found_at__isnull=False)

        def resend(ids: list[int], data: dict) -> None:
            if data.get("only_not_found"):
                ids = list(safe.filter(pk__in=ids).values_list("pk", flat=True))
            result = candidates_push_request(
                candidate_ids=ids,
                trigger=Trigger.RESEND,
                user=request.user,
                intent=Intent.resend_of(seen_at=data["seen_at"]),
            )
            push_report(self, request, result)

        return action_form_page(
            self,
            request,
            queryset,
            RESEND_PAGE,
            apply=resend,
            form_kwargs={"safe_to_resend": safe.count()},
        )

    @admin.action(description="Schedule push…", permissions=["push"])
    def schedule_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        def schedule(ids: list[int], data: dict) -> None:
            result = candidates_schedule_push(
                candidate_ids=ids, send_at=data["send_at"], trigger=Trigger.ADMIN, user=request.user
            )
            push_report(self, request, result)

        return action_form_page(self, request, queryset, SCHEDULE_PAGE, apply=schedule)

    @admin.action(description="Preview request bodies", permissions=["push"])
    def preview_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        """Show the JSON a push of the selection would send, sending nothing."""
        preview = selection_preview(queryset)
        return TemplateResponse(
            request,
            "admin/ingestion/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": "Preview the request bodies",
                "opts": self.model._meta,
                "preview": preview,
                "requests_shown": preview.requests[:PREVIEW_REQUESTS_SHOWN],
                "requests_hidden": preview.requests[PREVIEW_REQUESTS_SHOWN:],
                "skipped_shown": preview.skipped[:PREVIEW_SKIPPED_SHOWN],
                "skipped_more": max(0, len(preview.skipped) - PREVIEW_SKIPPED_SHOWN),
                # Sent back with "Push these".
                **selection_context(request),
            },
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST" and request.POST.get("action"):
            self._check_action_permission(request, request.POST["action"])
        if (
            request.method == "GET"
            and request.GET.get("state__exact") == Candidate.State.UNCONFIRMED
        ):
            self.message_user(request, UNCONFIRMED_WARNING, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def _check_action_permission(self, request: HttpRequest, name: str) -> None:
        """An action the user may not run answers 403, not Django's "No action selected"."""
        action = self.get_action(name)
        allowed = getattr(action[0], "allowed_permissions", ()) if action else ()
        if allowed and not any(
            getattr(self, f"has_{permission}_permission")(request) for permission in allowed
        ):
            raise PermissionDenied

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        if str(object_id).isdigit() and request.user.has_perm("ingestion.view_ingestionrequest"):
            extra_context["delivery_timeline"] = candidate_timeline(int(object_id))
        if str(object_id).isdigit() and request.user.has_perm("ingestion.view_webhookevent"):
            extra_context["interview_events"] = candidate_events(int(object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # A push's progress page links to "the candidates of this push".
        if lookup == "push_batches__id__exact":
            return True
        return super().lookup_allowed(lookup, value, request)
