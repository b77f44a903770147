"""The admin's ATS pages: connections with their rules and set-up help, and the inbox."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from ingestion.admin import ReadOnly, pretty_json, words_and_code
from ingestion.dispatch import ats_delivery_dispatch
from ingestion.inbound.ats import messages as ats_messages
from ingestion.inbound.ats.applying import ats_deliveries_reset
from ingestion.models import AtsConnection, AtsDelivery, AtsRule
from ingestion.webhooks.ats import deliver_in_process, webhook_path
from ingestion.webhooks.ats_samples import sample_delivery
from recruiting.change_lists import CountedListMixin
from recruiting.notices import state_badge
from recruiting.typed_fields import SkillsField

SECRET_BYTES = 32
RULE_FIELDS = [
    "order",
    "job",
    "stage",
    "interviewer",
    "status",
    "skills",
    "send_email_after",
    "push",
]


class AtsRuleForm(forms.ModelForm):
    class Meta:
        model = AtsRule
        fields = RULE_FIELDS
        field_classes = {"skills": SkillsField}
        widgets = {
            "skills": forms.TextInput(attrs={"size": 20, "placeholder": "python, aws"}),
            "job": forms.TextInput(attrs={"size": 18}),
            "stage": forms.TextInput(attrs={"size": 18}),
            "order": forms.NumberInput(attrs={"style": "width: 4em"}),
            "send_email_after": forms.NumberInput(attrs={"style": "width: 4em"}),
        }
        help_texts = {"skills": "Added to the candidate's skills, separated by commas."}


class AtsRuleInline(admin.TabularInline):
    model = AtsRule
    form = AtsRuleForm
    extra = 1
    fields = RULE_FIELDS
    autocomplete_fields = ["interviewer"]


class AtsConnectionForm(forms.ModelForm):
    class Meta:
        model = AtsConnection
        fields = ["name", "slug", "kind", "secret", "active"]
        labels = {"slug": "Address name"}
        help_texts = {
            "slug": "The end of this connection's webhook address, such as “greenhouse”: "
            "letters, digits and hyphens.",
            "active": "Untick to stop taking this ATS's deliveries: they are refused, and the "
            "ATS is told the address is unknown, until it is ticked again.",
        }


@admin.register(AtsConnection)
class AtsConnectionAdmin(CountedListMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "active", "webhook_url", "rule_count", "rejected_count"]
    list_filter = ["kind", "active"]
    prepopulated_fields = {"slug": ["name"]}
    form = AtsConnectionForm
    fields = AtsConnectionForm.Meta.fields
    inlines = [AtsRuleInline]
    change_form_template = "admin/ingestion/atsconnection/change_form.html"

    class Media:
        css = {"all": ["ingestion/admin.css"]}

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "secret": secrets.token_urlsafe(SECRET_BYTES),
            "kind": AtsConnection.Kind.GREENHOUSE,
        }

    def get_urls(self) -> list:
        test = self.admin_site.admin_view(require_POST(self.test_view))
        return [
            path("<int:pk>/test/", test, name="ingestion_atsconnection_test"),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        connection = self.get_object(request, object_id)
        if connection is not None:
            extra_context = {**(extra_context or {}), **self._set_up(request, connection)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _set_up(self, request: HttpRequest, connection: AtsConnection) -> dict[str, Any]:
        return {
            "webhook_url": request.build_absolute_uri(webhook_path(connection)),
            "set_up_help": ats_messages.set_up_help(connection.kind),
            "example_body": ats_messages.example_body(connection.kind),
            "refused": ats_messages.rejected(connection),
            "test_url": reverse("admin:ingestion_atsconnection_test", args=[connection.pk]),
            "deliveries_url": reverse("admin:ingestion_atsdelivery_changelist")
            + f"?connection__id__exact={connection.pk}",
        }

    def test_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        connection = get_object_or_404(AtsConnection, pk=pk)
        if not self.has_change_permission(request, connection):
            raise PermissionDenied
        raw, headers = sample_delivery(connection)
        response = deliver_in_process(request, connection, raw, headers)
        answer = json.loads(response.content)
        delivery = AtsDelivery.objects.filter(pk=answer.get("delivery")).first()
        level, text = ats_messages.test_sent(
            response.status_code,
            answer,
            delivery.state if delivery else "",
            delivery.outcome if delivery else "",
        )
        self.message_user(request, text, getattr(messages, level.upper()))
        return HttpResponseRedirect(reverse("admin:ingestion_atsconnection_change", args=[pk]))

    @admin.display(description="Webhook URL")
    def webhook_url(self, obj: AtsConnection) -> str:
        return format_html("<code>{}</code>", webhook_path(obj))

    @admin.display(description="Rules")
    def rule_count(self, obj: AtsConnection) -> int:
        return obj.rules.count()


@admin.register(AtsDelivery)
class AtsDeliveryAdmin(CountedListMixin, ReadOnly, admin.ModelAdmin):
    list_display = [
        "received_at",
        "connection",
        "event_words",
        "job",
        "stage",
        "state_display",
        "outcome",
    ]
    list_filter = ["state", "connection", "received_at"]
    list_select_related = ["connection"]
    search_fields = ["event_id", "job", "stage", "outcome"]
    date_hierarchy = "received_at"
    fields = [
        "received_at",
        "connection",
        "event_id",
        "event_detail",
        "job",
        "stage",
        "state_display",
        "outcome",
        "candidate_link",
        "applied_at",
        "body_display",
    ]
    readonly_fields = fields
    actions = ["apply_again"]

    class Media:
        css = {"all": ["ingestion/admin.css"]}

    @admin.action(description="Apply again (those that made no candidate)", permissions=["view"])
    def apply_again(self, request: HttpRequest, queryset: QuerySet[AtsDelivery]) -> None:
        if not request.user.has_perm("ingestion.change_atsconnection"):
            raise PermissionDenied
        ids = ats_deliveries_reset(delivery_ids=list(queryset.values_list("pk", flat=True)))
        for delivery_id in ids:
            ats_delivery_dispatch(delivery_id=delivery_id)
        tests = queryset.filter(state=AtsDelivery.State.TEST).count()
        self.message_user(request, ats_messages.applied_again(len(ids), tests))

    @admin.display(description="State", ordering="state")
    def state_display(self, obj: AtsDelivery) -> str:
        return state_badge(f"ats-{obj.state}", obj.get_state_display())

    @admin.display(description="Event", ordering="event")
    def event_words(self, obj: AtsDelivery) -> str:
        return ats_messages.event_words(obj.connection.kind, obj.event)

    @admin.display(description="Event")
    def event_detail(self, obj: AtsDelivery) -> str:
        return words_and_code(self.event_words(obj), obj.event)

    @admin.display(description="Candidate")
    def candidate_link(self, obj: AtsDelivery) -> str:
        if obj.candidate is None:
            return "-"
        url = reverse("admin:recruiting_candidate_change", args=[obj.candidate_id])
        return format_html('<a href="{}">{}</a>', url, obj.candidate)

    @admin.display(description="Body (as received)")
    def body_display(self, obj: AtsDelivery) -> str:
        return pretty_json(obj.body)
