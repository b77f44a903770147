"""The inbox of InterviewFlowAI's interview events, read-only, with "apply again"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from ingestion.admin import ReadOnly, pretty_json, words_and_code
from ingestion.inbound.events import APPLICABLE, webhook_events_apply_again
from ingestion.inbound.messages import apply_again_message, event_type_words
from ingestion.models import WebhookEvent
from recruiting.change_lists import CountedListMixin
from recruiting.notices import state_badge

State = WebhookEvent.State
# Kept, but not acted on: staff should look, and may apply them again once fixed.
NEEDS_A_LOOK = (State.UNMATCHED, State.IGNORED, State.INVALID)


class EventTypeFilter(admin.AllValuesFieldListFilter):
    """The event types received, each in words."""

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        for choice in super().choices(changelist):
            if choice["display"] in self.lookup_choices:
                choice = {**choice, "display": event_type_words(choice["display"])}
            yield choice


@admin.register(WebhookEvent)
class WebhookEventAdmin(CountedListMixin, ReadOnly, admin.ModelAdmin):
    list_display = [
        "received_at",
        "event_words",
        "event_id",
        "email",
        "candidate_link",
        "state_display",
        "reason",
    ]
    list_filter = ["state", ("event_type", EventTypeFilter), "received_at"]
    list_select_related = ["candidate"]
    search_fields = ["event_id", "email", "interview_id"]
    date_hierarchy = "received_at"
    fields = [
        "received_at",
        "event_id",
        "event_detail",
        "state_display",
        "reason",
        "processed_at",
        "candidate_link",
        "email",
        "interviewer_ref",
        "interview_id",
        "score",
        "report_url",
        "interview_link",
        "body_display",
    ]
    readonly_fields = fields
    actions = ["apply_again_action"]

    class Media:
        css = {"all": ["ingestion/admin.css"]}

    def has_apply_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("ingestion.apply_webhookevent")

    @admin.action(description="Apply again", permissions=["apply"])
    def apply_again_action(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        chosen = queryset.filter(state__in=APPLICABLE)
        ends = webhook_events_apply_again(event_ids=chosen.values_list("pk", flat=True))
        self.message_user(request, apply_again_message(ends), messages.INFO)

    @admin.display(description="State", ordering="state")
    def state_display(self, obj: WebhookEvent) -> str:
        badge = state_badge(f"event-{obj.state}", obj.get_state_display(), title=obj.reason)
        if obj.state in NEEDS_A_LOOK:
            return format_html('<span class="event-needs-look">{}</span>', badge)
        return badge

    @admin.display(description="Event", ordering="event_type")
    def event_words(self, obj: WebhookEvent) -> str:
        return event_type_words(obj.event_type)

    @admin.display(description="Event")
    def event_detail(self, obj: WebhookEvent) -> str:
        return words_and_code(event_type_words(obj.event_type), obj.event_type)

    @admin.display(description="Candidate", ordering="candidate")
    def candidate_link(self, obj: WebhookEvent) -> str:
        if obj.candidate is None:
            return "-"
        url = reverse("admin:recruiting_candidate_change", args=[obj.candidate_id])
        return format_html('<a href="{}">{}</a>', url, obj.candidate.name)

    @admin.display(description="Raw body")
    def body_display(self, obj: WebhookEvent) -> str:
        return pretty_json(obj.body)
