from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join

from ingestion.candidate_actions import CandidateDeliveryActions
from recruiting.action_pages import ActionPage, action_form_page
from recruiting.candidate_display import (
    INTERVIEW_FIELDS,
    CandidateDisplay,
    SendableFilter,
    candidates_matching,
)
from recruiting.change_lists import CountedChangeList, CountedListMixin
from recruiting.forms import CandidateForm, InterviewerForm, SetSkillsForm, SetStatusForm
from recruiting.import_forms import ImportMappingForm
from recruiting.locks import edit_refusal, where_now
from recruiting.models import Candidate, ImportMapping, Interviewer
from recruiting.rules import shortlist_blocker
from recruiting.services import EditResult, candidates_set_skills, candidates_set_status
from recruiting.spreadsheet_admin import CandidateImportExport
from recruiting.wording import NAMES_SHOWN, by_reason, plural, some_of

SET_STATUS_PAGE = ActionPage(
    action="set_status_action",
    form_class=SetStatusForm,
    title="Set the status of the selected candidates",
    submit_label="Set status",
)
SET_SKILLS_PAGE = ActionPage(
    action="set_skills_action",
    form_class=SetSkillsForm,
    title="Set the skills of the selected candidates",
    submit_label="Set skills",
)
# Shown on every candidate's page, written only by delivery.
DELIVERY_FIELDS = [
    "state",
    "send_at",
    "attempts",
    "next_attempt_at",
    "last_error",
    "sent_at",
    "upstream_id",
    "resend_requested_by_display",
    "resend_requested_at",
    "created_at",
    "updated_at",
]


def shortlisted_blocked(interviewer: Interviewer) -> str:
    """The waiting candidates this Interviewer's screening now refuses as shortlisted."""
    blocker = shortlist_blocker(interviewer)
    if blocker is None:
        return ""
    shortlisted = Q(status=Candidate.Status.SHORTLISTED)
    if interviewer.visibility == Interviewer.Visibility.PUBLIC:
        shortlisted |= Q(status="")
    waiting = interviewer.candidates.filter(shortlisted).exclude(
        state__in=[Candidate.State.SENT, Candidate.State.UNCONFIRMED]
    )
    names = list(waiting[: NAMES_SHOWN + 1])
    if not names:
        return ""
    count = waiting.count() if len(names) > NAMES_SHOWN else len(names)
    return (
        f"{plural(count, 'candidate')} waiting to be sent ({some_of(names)}) cannot be sent as "
        f"shortlisted any more. {blocker} Use Set status… to make them drafts."
    )


class StatusFilter(admin.SimpleListFilter):
    """The stored status, including blank: the Interviewer's default."""

    title = "status"
    parameter_name = "status"
    DEFAULT = "default"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [*Candidate.Status.choices, (self.DEFAULT, "Blank: the Interviewer's default")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        return queryset.filter(status="" if self.value() == self.DEFAULT else self.value())


class InterviewerChangeList(CountedChangeList):
    """The Interviewer list counts the candidates of the Interviewers shown, per state.

    One grouped query over the page's Interviewers, read from the (interviewer, state)
    index: neither the autocomplete nor the count of the list joins the candidates.
    """

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        interviewers = list(self.result_list)
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        rows = (
            Candidate.objects.filter(interviewer__in=interviewers)
            .order_by()
            .values_list("interviewer", "state")
            .annotate(count=Count("pk"))
        )
        for interviewer, state, count in rows:
            counts[interviewer][state] = count
        for interviewer in interviewers:
            interviewer.state_counts = counts[interviewer.pk]
        self.result_list = interviewers


@admin.register(Interviewer)
class InterviewerAdmin(CountedListMixin, admin.ModelAdmin):
    list_display = ["name", "external_id", "visibility", "screening", "active", "candidate_counts"]
    list_filter = ["visibility", "active", "resume_screening", "screening_questions"]
    search_fields = ["name", "external_id"]
    form = InterviewerForm

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return InterviewerChangeList

    def get_fields(self, request: HttpRequest, obj: Interviewer | None = None) -> list[str]:
        fields = list(super().get_fields(request, obj))
        if obj is None:  # a new Interviewer has sent nothing under any id
            fields.remove("confirm_id_change")
        return fields

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        message = super().construct_change_message(request, form, formsets, add)
        if add or "external_id" not in form.changed_data:
            return message
        # Kept in the Interviewer's history in the admin, with both ids.
        old, new = form.initial["external_id"], form.cleaned_data["external_id"]
        return f"Changed the interviewer id from {old} to {new}."

    def save_model(self, request: HttpRequest, obj: Interviewer, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if blocked := shortlisted_blocked(obj):
            self.message_user(request, blocked, messages.WARNING)

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
            if (count := getattr(obj, "state_counts", {}).get(state, 0))
        ]
        if not counts:
            return "none yet"
        return format_html_join(
            " ",
            '<a href="{}" class="state-badge state-{}">{} {}</a>',
            counts,
        )


@admin.register(Candidate)
class CandidateAdmin(
    CountedListMixin,
    CandidateDisplay,
    CandidateImportExport,
    CandidateDeliveryActions,
    admin.ModelAdmin,
):
    list_display = [
        "name",
        "email",
        "interviewer",
        "effective_status_display",
        "skills_display",
        "delivery_display",
        "interview_display",
    ]
    list_select_related = ["interviewer"]
    list_filter = ["state", SendableFilter, StatusFilter, "interviewer", "interview_status"]
    search_fields = ["name", "email", "interviewer__name", "upstream_id"]
    search_help_text = (
        "Finds candidates by name, email, Interviewer, a value in their metadata (an ATS "
        "id, a phone number) or their whole InterviewFlowAI id."
    )
    list_per_page = 50
    # The Delivery and Interviewer columns sort along indexes the table has: by state, then
    # the next attempt (`candidate_due_order`), and by Interviewer, then email (the unique
    # constraint), so a page is read in index order. Sorted as Django would (by state then
    # newest, by the Interviewer's name), every click sorted the whole table, and an index
    # for that order would be one more entry written at each state change of every
    # candidate a push moves. So Interviewers come in the order they were added, not by
    # name; the Interviewer and state filters find any one of them.
    sort_orders = {
        "state": ("state", "next_attempt_at", "id"),
        "interviewer": ("interviewer_id", "email"),
    }
    # "Show counts" counts the choices an index serves (state, Interviewer): the status and
    # the interview status have none, and "can be sent" checks each draft in Python.
    uncounted_filters = ("sendable", "status", "interview_status")
    autocomplete_fields = ["interviewer"]
    readonly_fields = [*DELIVERY_FIELDS, "resend_requested_by_display", *INTERVIEW_FIELDS]
    fieldsets = [
        (None, {"fields": ["interviewer", "name", "email", "status", "skills"]}),
        (
            "Sent to InterviewFlowAI with the candidate",
            {"fields": ["additional_fields", "metadata", "send_email_after"]},
        ),
        ("Delivery", {"fields": DELIVERY_FIELDS}),
        ("Interview at InterviewFlowAI", {"fields": INTERVIEW_FIELDS}),
    ]
    form = CandidateForm
    actions = [
        "push_action",
        "preview_action",
        "set_status_action",
        "set_skills_action",
        "schedule_action",
        "resend_action",
    ]

    def has_change_permission(self, request: HttpRequest, obj: Candidate | None = None) -> bool:
        # Its page becomes read-only: every field is shown, none can be saved.
        if obj is not None and edit_refusal(obj.state):
            return False
        return super().has_change_permission(request, obj)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        # A push may have taken the candidate since its form was shown: say so, not 403.
        if request.method == "POST" and self.has_change_permission(request):
            candidate = self.get_object(request, unquote(object_id))
            if candidate is not None and (reason := edit_refusal(candidate.state)):
                self.message_user(request, f"Nothing was saved. {reason}", messages.WARNING)
                return HttpResponseRedirect(request.get_full_path())
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Candidate | None = None,
    ) -> HttpResponse:
        context["locked_reason"] = edit_refusal(obj.state) if obj is not None else ""
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Only what staff changed: the delivery columns read at the start of the request may
        # be stale by now, and writing them back would undo a worker's claim or its outcome.
        obj.save(update_fields=[*form.changed_data, "updated_at"])

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        return candidates_matching(queryset, search_term), False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # The history links to "the candidates of this request".
        if lookup == "ingestion_requests__id__exact":
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.action(description="Set status…", permissions=["change"])
    def set_status_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        def apply(ids: list[int], data: dict[str, Any]) -> None:
            self._report_edit(
                request, candidates_set_status(candidate_ids=ids, status=data["status"])
            )

        return action_form_page(self, request, queryset, SET_STATUS_PAGE, apply=apply)

    @admin.action(description="Set skills…", permissions=["change"])
    def set_skills_action(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        def apply(ids: list[int], data: dict[str, Any]) -> None:
            result = candidates_set_skills(
                candidate_ids=ids, skills=data["skills"], mode=data["mode"]
            )
            self._report_edit(request, result)

        return action_form_page(self, request, queryset, SET_SKILLS_PAGE, apply=apply)

    def _report_edit(self, request: HttpRequest, result: EditResult) -> None:
        if result.updated:
            self.message_user(request, f"{plural(result.updated, 'candidate')} updated.")
        locked = ((candidate, where_now(candidate.state)) for candidate in result.locked)
        for line in by_reason(locked, what="left as they are"):
            self.message_user(request, line, messages.WARNING)
        # One message per reason (in practice, per Interviewer), not one per candidate.
        for line in by_reason(result.refused, what="not changed"):
            self.message_user(request, line, messages.ERROR)


@admin.register(ImportMapping)
class ImportMappingAdmin(CountedListMixin, admin.ModelAdmin):
    """Saved column mappings: made on the import's mapping step, corrected here."""

    list_display = ["name", "header_count", "interviewer", "updated_at"]
    search_fields = ["name"]
    form = ImportMappingForm

    @admin.display(description="Columns")
    def header_count(self, obj: ImportMapping) -> str:
        return plural(len(obj.headers), "column")
