"""The history of requests to InterviewFlowAI, read-only, and the delivery pages beside it."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin

from ingestion import views
from ingestion.delivery.housekeeping import delivery_resume
from ingestion.models import IngestionRequest, PushBatch
from ingestion.resources import IngestionRequestResource
from recruiting.change_lists import COUNT_CEILING, CountedListMixin, search_terms
from recruiting.notices import state_badge, user_name
from recruiting.permissions import PUSH_PERMISSION
from recruiting.spreadsheet_export import SpreadsheetFormats

LINKED_CANDIDATES_SHOWN = 100
# The answers the Ingestion API gives, and those of the proxies and timeouts in front of it.
HTTP_STATUSES = (201, 400, 401, 403, 404, 408, 422, 429, 500, 502, 503, 504)


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


def words_and_code(words: str, code: str) -> str:
    """A value in words with the code it came as beside it, for a delivery's own page."""
    if not code:
        return "-"
    if words == code:
        return format_html("<code>{}</code>", code)
    return format_html("{} (<code>{}</code>)", words, code)


class HttpStatusFilter(admin.SimpleListFilter):
    """The answers InterviewFlowAI gives, listed without reading every row to find them."""

    title = "HTTP status"
    parameter_name = "http_status"
    NONE = "none"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            *((str(code), f"{code} {HTTPStatus(code).phrase}") for code in HTTP_STATUSES),
            (self.NONE, "No answer (a timeout or a connection error)"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        if self.value() == self.NONE:
            return queryset.filter(http_status__isnull=True)
        return queryset.filter(http_status=self.value())


class ReadOnly:
    """Mixed into an admin of records kept as they happened: seen, never added or changed."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryExport(SpreadsheetFormats, ExportMixin):
    """Mixed into the history admin: an Export button, for those with its permission."""

    resource_classes = [IngestionRequestResource]
    export_file_name = "history"


@admin.register(IngestionRequest)
class IngestionRequestAdmin(CountedListMixin, ReadOnly, HistoryExport, admin.ModelAdmin):
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
    list_filter = ["outcome", HttpStatusFilter, "started_at", "trigger", "interviewer"]
    list_select_related = ["interviewer", "user"]
    date_hierarchy = "started_at"
    # Its date hierarchy finds the months and days with requests without a full scan.
    change_list_template = "admin/ingestion/ingestionrequest/change_list.html"
    search_fields = ["candidates__email", "error_message"]
    fields = [
        "started_at",
        "interviewer",
        "trigger",
        "user_display",
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

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Requests that carried a candidate with this email, or failed with these words.

        Each side is found on its own (candidates by email, requests by error message,
        both from their indexes) and the request ids joined, rather than reading every
        request with its candidates to test both; up to COUNT_CEILING ids are read once.
        """
        carried = IngestionRequest.candidates.through.objects
        for term in search_terms(search_term):
            with_email = carried.filter(candidate__email__icontains=term)
            with_error = IngestionRequest.objects.filter(error_message__icontains=term)
            matching = with_email.values_list("ingestionrequest", flat=True).union(
                with_error.order_by().values_list("pk", flat=True)
            )
            # Found once: the page, its count and its dates then read these rows by key.
            found = list(matching[: COUNT_CEILING + 1])
            queryset = queryset.filter(pk__in=found if len(found) <= COUNT_CEILING else matching)
        return queryset, False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if lookup in ("candidates__id__in", "candidates__push_batches__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_urls(self) -> list:
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

    @admin.display(description="User")
    def user_display(self, obj: IngestionRequest) -> str:
        return user_name(obj.user)

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


@admin.register(PushBatch)
class PushBatchAdmin(CountedListMixin, ReadOnly, admin.ModelAdmin):
    """The pushes staff made, newest first, each linking to its progress page."""

    list_display = ["push_link", "created_at", "user", "trigger", "candidate_count"]
    list_display_links = None
    list_filter = ["trigger", "created_at"]
    list_select_related = ["user"]
    list_per_page = 50

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Seen by those who may push, as each push's progress page is.
        return request.user.has_perm(PUSH_PERMISSION)

    @admin.display(description="Push", ordering="-id")
    def push_link(self, obj: PushBatch) -> str:
        url = reverse("admin:ingestion_push_progress", args=[obj.pk])
        return format_html('<a href="{}">Push #{}</a>', url, obj.pk)
