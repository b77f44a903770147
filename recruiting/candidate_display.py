"""How the Candidate admin shows a candidate: its list columns and its read-only page."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from recruiting.change_lists import search_terms
from recruiting.locks import edit_refusal
from recruiting.models import Candidate, Interviewer
from recruiting.notices import state_badge, user_name
from recruiting.search_words import words_matching
from recruiting.wording import local_time, plural

State = Candidate.State
AFTER_SENDING = ("Delivery", "Interview at InterviewFlowAI")
INTERVIEW_FIELDS = [
    "interview_status",
    "interview_status_at",
    "interview_score",
    "report_link_display",
    "confirmed_at",
    "not_found_at",
]
# On a page that can no longer be edited, what was sent, rather than the blank defaults.
AS_SENT = {
    "status": "effective_status_display",
    "skills": "skills_display",
    "additional_fields": "additional_fields_display",
    "metadata": "metadata_display",
    "resend_requested_by": "resend_requested_by_display",
}


def delivery_detail(candidate: Candidate, *, now: datetime) -> list[str]:
    """What the state badge does not say: attempts, and when it goes out or invites."""
    details = []
    if candidate.attempts:
        details.append(plural(candidate.attempts, "attempt"))
    waiting = candidate.state == State.QUEUED and candidate.next_attempt_at
    if waiting and candidate.next_attempt_at > now:
        held = candidate.send_at is not None and not candidate.attempts
        details.append(
            f"{'held until' if held else 'retry at'} {local_time(candidate.next_attempt_at)}"
        )
    if candidate.send_at is not None and candidate.state in (State.NEW, State.QUEUED):
        details.append(f"invite at {local_time(candidate.send_at)}")
    if candidate.safe_to_resend:
        details.append(
            f"not found at InterviewFlowAI {local_time(candidate.not_found_at)}: safe to resend"
        )
    elif candidate.state == State.SENT and candidate.confirmed_at:
        details.append("confirmed by the Fetch API")
    return details


def candidates_matching(queryset: QuerySet[Candidate], search_term: str) -> QuerySet[Candidate]:
    """Candidates whose name, email, Interviewer, InterviewFlowAI id or metadata has each word.

    The few Interviewers a word names are looked up first; on PostgreSQL the words are read
    from their own table (`search_words`); metadata holds the ATS's own references, searched
    as text; the InterviewFlowAI id is matched whole.
    """
    terms = [
        (term, list(Interviewer.objects.filter(name__icontains=term).values_list("pk", flat=True)))
        for term in search_terms(search_term)
    ]
    if not terms:
        return queryset
    queryset = queryset.alias(metadata_text=Cast("metadata", TextField()))
    return queryset.filter(words_matching(terms))


class SendableFilter(admin.SimpleListFilter):
    """Drafts InterviewFlowAI would refuse as they stand, found before anyone pushes them."""

    title = "can be sent"
    parameter_name = "sendable"
    BLOCKED = "no"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(self.BLOCKED, "Cannot be sent as it stands")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() != self.BLOCKED:
            return queryset
        # The rules are the sending rules, in Python: read the drafts only, a chunk at a time.
        drafts = queryset.filter(state__in=Candidate.EDITABLE_STATES).select_related("interviewer")
        blocked = [c.pk for c in drafts.iterator(chunk_size=2000) if c.problems()]
        return queryset.filter(pk__in=blocked)


class CandidateDisplay:
    """Columns and read-only fields of the Candidate admin."""

    @admin.display(description="Status", ordering="status")
    def effective_status_display(self, obj: Candidate) -> str:
        if obj.status:
            return obj.get_status_display()
        default = Candidate.Status(obj.effective_status).label
        return format_html('{} <span class="muted">(default)</span>', default)

    @admin.display(description="Skills")
    def skills_display(self, obj: Candidate) -> str:
        if obj.skills:
            return ", ".join(obj.skills)
        return format_html('<span class="muted">{}</span>', ", ".join(obj.effective_skills) or "-")

    @admin.display(description="Delivery", ordering="state")
    def delivery_display(self, obj: Candidate) -> str:
        badge = state_badge(obj.state, obj.get_state_display(), title=obj.last_error)
        if not edit_refusal(obj.state) and (problems := obj.problems()):
            # Said before a push, not after it: what InterviewFlowAI would refuse.
            warning = state_badge("blocked", "Cannot be sent", title=" ".join(problems))
            badge = format_html("{} {}", badge, warning)
        if details := delivery_detail(obj, now=timezone.now()):
            return format_html(
                '{}<div class="delivery-detail">{}</div>', badge, " · ".join(details)
            )
        return badge

    @admin.display(description="Interview", ordering="interview_status")
    def interview_display(self, obj: Candidate) -> str:
        if not obj.interview_status:
            return format_html('<span class="muted">{}</span>', "-")
        badge = state_badge(f"interview-{obj.interview_status}", obj.get_interview_status_display())
        if obj.interview_score:
            return format_html(
                '{} <span class="interview-score">score {}</span>', badge, obj.interview_score
            )
        return badge

    @admin.display(description="Report")
    def report_link_display(self, obj: Candidate) -> str:
        if not obj.report_url:
            return "-"
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            obj.report_url,
            "Open the report",
        )

    @admin.display(description="Additional fields")
    def additional_fields_display(self, obj: Candidate) -> str:
        return _pairs(obj.additional_fields)

    @admin.display(description="Metadata")
    def metadata_display(self, obj: Candidate) -> str:
        return _pairs(obj.metadata)

    @admin.display(description="Resend requested by")
    def resend_requested_by_display(self, obj: Candidate) -> str:
        return user_name(obj.resend_requested_by)

    def get_fieldsets(self, request: HttpRequest, obj: Candidate | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None:
            # A new candidate has no delivery yet: its twelve empty rows say nothing.
            return [(name, options) for name, options in fieldsets if name not in AFTER_SENDING]
        if not edit_refusal(obj.state):
            return fieldsets
        return [
            (name, {**options, "fields": [AS_SENT.get(f, f) for f in options["fields"]]})
            for name, options in fieldsets
        ]


def _pairs(values: Any) -> str:
    if not values:
        return "-"
    if not isinstance(values, dict):
        return json.dumps(values, ensure_ascii=False)
    lines = (f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items())
    return format_html('<span class="pairs">{}</span>', "\n".join(lines))
