from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ingestion.models import DeliveryStatus, IngestionRequest, PushBatch, Trigger
from ingestion.preview import selection_preview
from ingestion.services import (
    QueueResult,
    candidates_push_request,
    candidates_schedule_push,
    delivery_resume,
    delivery_summary,
)
from ingestion.timeline import candidate_timeline
from recruiting.action_pages import action_form_page, selection_context
from recruiting.models import Candidate
from recruiting.permissions import PUSH_PERMISSION
from recruiting.spreadsheet_admin import HistoryExport
from recruiting.wording import by_reason, plural

UNCONFIRMED_WARNING = (
    "InterviewFlowAI did not confirm these deliveries: the candidates may or may not have been "
    "created. Check in InterviewFlowAI before resending, or they may receive a second "
    "invitation email."
)
LINKED_CANDIDATES_SHOWN = 100
PREVIEW_REQUESTS_SHOWN = 20
PREVIEW_SKIPPED_SHOWN = 100


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
    # When this page was shown: a candidate delivered since (the same form sent twice) is
    # not sent yet again.
    seen_at = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen_at"].initial = timezone.now()


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Invite at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="When InterviewFlowAI should email the invitation. Up to 96 hours ahead the "
        "candidates are sent now with a delay; later, they wait here until 96 hours before. "
        "Leave it empty to clear a scheduled time and invite as soon as they are sent.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["send_at"].help_text += f" Times are in {timezone.get_current_timezone_name()}."

    def clean_send_at(self) -> Any:
        send_at = self.cleaned_data["send_at"]
        if send_at is not None and send_at <= timezone.now():
            raise forms.ValidationError(
                "Choose a time in the future, or leave it empty to invite as soon as sent."
            )
        return send_at


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
                candidate_ids=ids,
                trigger=Trigger.RESEND,
                user=request.user,
                resend=True,
                resend_seen_at=data["seen_at"],
            )
            self._report_push(request, result)

        return action_form_page(
            self,
            request,
            queryset,
            form_class=ResendForm,
            action="resend_action",
            title="Send the selected candidates again",
            submit_label="Resend",
            apply=resend,
        )

    @admin.action(description="Schedule push…", permissions=["push"])
    def schedule_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        def schedule(ids: list[int], data: dict) -> None:
            result = candidates_schedule_push(
                candidate_ids=ids, send_at=data["send_at"], trigger=Trigger.ADMIN, user=request.user
            )
            self._report_push(request, result)

        return action_form_page(
            self,
            request,
            queryset,
            form_class=ScheduleForm,
            action="schedule_action",
            title="Schedule the invitations of the selected candidates",
            submit_label="Schedule",
            apply=schedule,
        )

    def _report_push(self, request: HttpRequest, result: QueueResult) -> None:
        summary = delivery_summary(result.queued)
        counts = summary.counts
        batch = result.batch
        if counts[Candidate.State.SENT]:
            self.message_user(
                request,
                self._with_history_link(
                    f"{plural(counts[Candidate.State.SENT], 'candidate')} sent to InterviewFlowAI.",
                    batch,
                ),
            )
        if result.held:
            self.message_user(
                request,
                self._with_progress_link(
                    f"{plural(result.held, 'candidate')} held until 96 hours before their "
                    "invitation time: they will be sent then.",
                    batch,
                ),
                messages.INFO,
            )
        waiting = counts[Candidate.State.QUEUED] + counts[Candidate.State.SENDING] - result.held
        if waiting > 0 and DeliveryStatus.current().paused:
            self.message_user(
                request,
                self._with_progress_link(
                    f"{plural(waiting, 'candidate')} queued, but delivery is paused because "
                    "InterviewFlowAI rejected the API key: they will be sent once delivery "
                    "is resumed.",
                    batch,
                ),
                messages.WARNING,
            )
        elif waiting > 0:
            where = (
                "in the background"
                if result.dispatched
                else "by the next scheduled run (the task queue could not be reached)"
            )
            self.message_user(
                request,
                self._with_progress_link(
                    f"{plural(waiting, 'candidate')} queued: they will be sent {where}.", batch
                ),
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
                        f"{plural(counts[state], 'candidate')} {state}.", batch
                    ),
                    level,
                )
        for line in by_reason(summary.problems):
            self.message_user(request, line, messages.WARNING)
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
        invalid = ((candidate, " ".join(problems)) for candidate, problems in result.invalid)
        for line in by_reason(invalid, what="not sent"):
            self.message_user(request, line, messages.ERROR)

    def _with_history_link(self, text: str, batch: PushBatch | None) -> str:
        if batch is None:
            return text
        url = reverse("admin:ingestion_ingestionrequest_changelist")
        return format_html(
            '{} <a href="{}?candidates__push_batches__id__exact={}">See the history.</a>',
            self._with_progress_link(text, batch),
            url,
            batch.pk,
        )

    def _with_progress_link(self, text: str, batch: PushBatch | None) -> str:
        if batch is None:
            return text
        url = reverse("admin:ingestion_push_progress", args=[batch.pk])
        return format_html(
            '{} <a href="{}" class="push-progress-link">Follow the progress.</a>', text, url
        )

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
        return super().change_view(request, object_id, form_url, extra_context)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # A push's progress page links to "the candidates of this push".
        if lookup == "push_batches__id__exact":
            return True
        return super().lookup_allowed(lookup, value, request)


@admin.register(IngestionRequest)
class IngestionRequestAdmin(HistoryExport, admin.ModelAdmin):
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
        if lookup in ("candidates__id__in", "candidates__push_batches__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        results, _ = super().get_search_results(request, queryset, search_term)
        return results.distinct(), False

    def get_urls(self) -> list:
        from ingestion import views

        resume = self.admin_site.admin_view(require_POST(self.resume_view))
        progress = self.admin_site.admin_view(views.push_progress_view)
        progress_json = self.admin_site.admin_view(views.push_progress_json)
        return [
            path("resume/", resume, name="ingestion_delivery_resume"),
            path("push/<int:pk>/", progress, name="ingestion_push_progress"),
            path("push/<int:pk>/status.json", progress_json, name="ingestion_push_progress_json"),
            *super().get_urls(),
        ]

    def resume_view(self, request: HttpRequest) -> HttpResponseRedirect:
        if not request.user.has_perm(PUSH_PERMISSION):
            raise PermissionDenied
        delivery_resume()
        self.message_user(request, "Delivery resumed: queued candidates will be sent again.")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:index")
        return HttpResponseRedirect(back)

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
