from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from ingestion.messages import plural
from ingestion.models import IngestionRequest, Trigger
from ingestion.services import (
    QueueResult,
    candidates_push_request,
    delivery_resume,
    delivery_summary,
)
from recruiting.models import Candidate

PUSH_PERMISSION = "recruiting.push_candidate"
LINKED_CANDIDATES_SHOWN = 100


def state_badge(state: str, label: str, *, title: str = "") -> str:
    return format_html(
        '<span class="state-badge state-{}" title="{}">{}</span>', state, title, label
    )


def pretty_json(value: Any) -> str:
    """Show JSON indented and escaped; text that is not JSON is shown as it came."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return format_html('<pre class="json">{}</pre>', value)
    return format_html(
        '<pre class="json">{}</pre>', json.dumps(value, indent=2, ensure_ascii=False)
    )


class ResendForm(forms.Form):
    confirm = forms.BooleanField(
        label="Send again",
        help_text="Candidates that were sent, or whose delivery is unconfirmed, may receive a "
        "second invitation email from InterviewFlowAI.",
    )


class CandidateDeliveryActions:
    """Push and resend actions for the Candidate admin; the work is done by the services."""

    def has_push_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PUSH_PERMISSION)

    @admin.action(description="Push to InterviewFlowAI", permissions=["push"])
    def push_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        result = candidates_push_request(
            candidate_ids=ids, trigger=Trigger.ADMIN, user=request.user
        )
        self._report_push(request, result)

    @admin.action(description="Resend…", permissions=["push"])
    def resend_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        def resend(ids: list[int], data: dict) -> None:
            result = candidates_push_request(
                candidate_ids=ids, trigger=Trigger.RESEND, user=request.user, resend=True
            )
            self._report_push(request, result)

        return self._edit_page(
            request,
            queryset,
            form_class=ResendForm,
            action="resend_action",
            title="Send the selected candidates again",
            submit_label="Resend",
            apply=resend,
        )

    def _report_push(self, request: HttpRequest, result: QueueResult) -> None:
        summary = delivery_summary(result.queued)
        counts = summary.counts
        if counts[Candidate.State.SENT]:
            self.message_user(
                request,
                self._with_history_link(
                    f"{plural(counts[Candidate.State.SENT], 'candidate')} sent to InterviewFlowAI.",
                    result.queued,
                ),
            )
        waiting = counts[Candidate.State.QUEUED] + counts[Candidate.State.SENDING]
        if waiting:
            where = (
                "in the background"
                if result.dispatched
                else "by the next scheduled run (the task queue could not be reached)"
            )
            self.message_user(
                request,
                f"{plural(waiting, 'candidate')} queued: they will be sent {where}.",
                messages.INFO,
            )
        for state, level in (
            (Candidate.State.FAILED, messages.ERROR),
            (Candidate.State.UNCONFIRMED, messages.WARNING),
        ):
            if counts[state]:
                self.message_user(
                    request,
                    self._with_history_link(
                        f"{plural(counts[state], 'candidate')} {state}.", result.queued
                    ),
                    level,
                )
        for candidate, problem in summary.problems:
            self.message_user(request, f"{candidate}: {problem}", messages.WARNING)
        if result.already_sent:
            self.message_user(
                request,
                f"{plural(result.already_sent, 'candidate')} skipped because already sent: "
                "use Resend to send them again.",
                messages.WARNING,
            )
        if result.unconfirmed:
            self.message_user(
                request,
                f"{plural(result.unconfirmed, 'candidate')} skipped because their last delivery "
                "is unconfirmed: check InterviewFlowAI, then use Resend if they are missing.",
                messages.WARNING,
            )
        if result.in_progress:
            self.message_user(
                request,
                f"{plural(result.in_progress, 'candidate')} skipped because already queued or "
                "being sent.",
                messages.INFO,
            )
        for candidate, problems in result.invalid:
            self.message_user(
                request, f"Not sent: {candidate}: {' '.join(problems)}", messages.ERROR
            )

    def _with_history_link(self, text: str, candidate_ids: list[int]) -> str:
        url = reverse("admin:ingestion_ingestionrequest_changelist")
        ids = ",".join(str(pk) for pk in candidate_ids[:LINKED_CANDIDATES_SHOWN])
        return format_html(
            '{} <a href="{}?candidates__id__in={}">See the history.</a>', text, url, ids
        )


@admin.register(IngestionRequest)
class IngestionRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "started_at",
        "interviewer",
        "trigger",
        "user",
        "candidate_count",
        "outcome_display",
        "http_status",
        "duration_ms",
    ]
    list_filter = ["outcome", "http_status", "started_at", "trigger", "interviewer"]
    list_select_related = ["interviewer", "user"]
    date_hierarchy = "started_at"
    search_fields = ["candidates__email", "error_message"]
    fields = [
        "started_at",
        "interviewer",
        "trigger",
        "user",
        "url",
        "outcome_display",
        "http_status",
        "duration_ms",
        "error_class",
        "error_message",
        "candidate_links",
        "request_body_display",
        "response_body_display",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["ingestion/admin.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if lookup == "candidates__id__in":
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        results, _ = super().get_search_results(request, queryset, search_term)
        return results.distinct(), False

    def get_urls(self) -> list:
        resume = self.admin_site.admin_view(require_POST(self.resume_view))
        return [
            path("resume/", resume, name="ingestion_delivery_resume"),
            *super().get_urls(),
        ]

    def resume_view(self, request: HttpRequest) -> HttpResponseRedirect:
        if not request.user.has_perm(PUSH_PERMISSION):
            raise PermissionDenied
        delivery_resume()
        self.message_user(request, "Delivery resumed: queued candidates will be sent again.")
        return HttpResponseRedirect(request.POST.get("next") or reverse("admin:index"))

    @admin.display(description="Outcome", ordering="outcome")
    def outcome_display(self, obj: IngestionRequest) -> str:
        return state_badge(f"outcome-{obj.outcome}", obj.get_outcome_display())

    @admin.display(description="Candidates")
    def candidate_links(self, obj: IngestionRequest) -> str:
        candidates = obj.candidates.all()[:LINKED_CANDIDATES_SHOWN]
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:recruiting_candidate_change", args=[c.pk]), str(c))
                for c in candidates
            ),
        )
        if obj.candidate_count > LINKED_CANDIDATES_SHOWN:
            url = reverse("admin:recruiting_candidate_changelist")
            return format_html(
                '{} … <a href="{}?ingestion_requests__id__exact={}">all {}</a>',
                links,
                url,
                obj.pk,
                obj.candidate_count,
            )
        return links

    @admin.display(description="Request body (as sent, without the API key)")
    def request_body_display(self, obj: IngestionRequest) -> str:
        return pretty_json(obj.request_body)

    @admin.display(description="Response body")
    def response_body_display(self, obj: IngestionRequest) -> str:
        if not obj.response_body:
            return "-"
        shown = pretty_json(obj.response_body)
        if obj.response_truncated:
            return format_html("{}<p class='muted'>Truncated at 20 KB.</p>", shown)
        return shown
