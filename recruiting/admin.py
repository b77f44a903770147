from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ingestion.admin import CandidateDeliveryActions, state_badge
from ingestion.messages import plural
from recruiting.forms import SetSkillsForm, SetStatusForm
from recruiting.models import Candidate, Interviewer
from recruiting.services import EditResult, candidates_set_skills, candidates_set_status
from recruiting.spreadsheet_admin import CandidateImportExport

ACTION_PREVIEW_ROWS = 20
JSON_WIDGET = forms.Textarea(attrs={"rows": 3, "cols": 60, "class": "json-input"})


@admin.register(Interviewer)
class InterviewerAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id", "visibility", "screening", "active", "candidate_counts"]
    list_filter = ["visibility", "active", "resume_screening", "screening_questions"]
    search_fields = ["name", "external_id"]
    formfield_overrides = {Interviewer._meta.get_field("skills").__class__: {"widget": JSON_WIDGET}}

    class Media:
        css = {"all": ["ingestion/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interviewer]:
        counts = {
            f"count_{state}": Count("candidates", filter=Q(candidates__state=state))
            for state in Candidate.State.values
        }
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description="Screening")
    def screening(self, obj: Interviewer) -> str:
        on = [
            label
            for label, flag in (
                ("resume", obj.resume_screening),
                ("questions", obj.screening_questions),
            )
            if flag
        ]
        return ", ".join(on) or "off"

    @admin.display(description="Candidates")
    def candidate_counts(self, obj: Interviewer) -> str:
        url = reverse("admin:recruiting_candidate_changelist")
        counts = [
            (f"{url}?interviewer__id__exact={obj.pk}&state__exact={state}", state, label, count)
            for state, label in Candidate.State.choices
            if (count := getattr(obj, f"count_{state}", 0))
        ]
        if not counts:
            return "none yet"
        return format_html_join(
            " ",
            '<a href="{}" class="state-badge state-{}">{} {}</a>',
            counts,
        )


@admin.register(Candidate)
class CandidateAdmin(CandidateImportExport, CandidateDeliveryActions, admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "interviewer",
        "effective_status_display",
        "skills_display",
        "state_display",
        "attempts",
        "next_attempt_at",
        "updated_at",
    ]
    list_select_related = ["interviewer"]
    list_filter = ["state", "status", "interviewer"]
    search_fields = ["name", "email"]
    list_per_page = 50
    autocomplete_fields = ["interviewer"]
    readonly_fields = [
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "upstream_id",
        "resend_requested_by",
        "resend_requested_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["interviewer", "name", "email", "status", "skills"]}),
        (
            "Sent to InterviewFlowAI with the candidate",
            {"fields": ["additional_fields", "metadata", "send_email_after"]},
        ),
        (
            "Delivery",
            {
                "fields": [
                    "state",
                    "attempts",
                    "next_attempt_at",
                    "last_error",
                    "sent_at",
                    "upstream_id",
                    "resend_requested_by",
                    "resend_requested_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    formfield_overrides = {Candidate._meta.get_field("skills").__class__: {"widget": JSON_WIDGET}}
    actions = [
        "push_action",
        "preview_action",
        "set_status_action",
        "set_skills_action",
        "resend_action",
    ]

    class Media:
        css = {"all": ["ingestion/admin.css"]}

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # The history links to "the candidates of this request".
        if lookup == "ingestion_requests__id__exact":
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="Status", ordering="status")
    def effective_status_display(self, obj: Candidate) -> str:
        if obj.status:
            return obj.get_status_display()
        return format_html('{} <span class="muted">(default)</span>', obj.effective_status)

    @admin.display(description="Skills")
    def skills_display(self, obj: Candidate) -> str:
        if obj.skills:
            return ", ".join(obj.skills)
        return format_html('<span class="muted">{}</span>', ", ".join(obj.effective_skills) or "-")

    @admin.display(description="State", ordering="state")
    def state_display(self, obj: Candidate) -> str:
        return state_badge(obj.state, obj.get_state_display(), title=obj.last_error)

    @admin.action(description="Set status…", permissions=["change"])
    def set_status_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        return self._edit_page(
            request,
            queryset,
            form_class=SetStatusForm,
            action="set_status_action",
            title="Set the status of the selected candidates",
            submit_label="Set status",
            apply=lambda ids, data: candidates_set_status(candidate_ids=ids, status=data["status"]),
        )

    @admin.action(description="Set skills…", permissions=["change"])
    def set_skills_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        return self._edit_page(
            request,
            queryset,
            form_class=SetSkillsForm,
            action="set_skills_action",
            title="Set the skills of the selected candidates",
            submit_label="Set skills",
            apply=lambda ids, data: candidates_set_skills(
                candidate_ids=ids, skills=data["skills"], mode=data["mode"]
            ),
        )

    def _edit_page(
        self,
        request: HttpRequest,
        queryset: QuerySet[Candidate],
        *,
        form_class: type[forms.Form],
        apply: Any,
        **context: Any,
    ) -> TemplateResponse | None:
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                ids = list(queryset.values_list("pk", flat=True))
                self._report_edit(request, apply(ids, form.cleaned_data))
                return None
        else:
            form = form_class()
        count = queryset.count()
        preview = list(queryset.select_related("interviewer")[:ACTION_PREVIEW_ROWS])
        select_across = request.POST.get("select_across") == "1"
        return TemplateResponse(
            request,
            "admin/recruiting/candidate/action_form.html",
            {
                **self.admin_site.each_context(request),
                **context,
                "opts": self.model._meta,
                "form": form,
                "intro": f"{plural(count, 'candidate')} selected.",
                "preview": preview,
                "more": max(0, count - len(preview)),
                "selected_ids": [] if select_across else request.POST.getlist(ACTION_CHECKBOX_NAME),
                "select_across": select_across,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )

    def _report_edit(self, request: HttpRequest, result: EditResult) -> None:
        if result.updated:
            self.message_user(request, f"{plural(result.updated, 'candidate')} updated.")
        if result.locked:
            self.message_user(
                request,
                f"{plural(result.locked, 'candidate')} left as they are: already sent or "
                "being sent.",
                messages.WARNING,
            )
        for candidate, problem in result.refused:
            self.message_user(request, f"{candidate}: {problem}", messages.ERROR)
