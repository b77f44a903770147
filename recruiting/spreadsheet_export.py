"""Exports in the admin: CSV or XLSX of what a list shows, on a page that says so."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

FORMAT_LABELS = {"csv": "CSV (opens in Excel and Google Sheets)", "xlsx": "Excel workbook (.xlsx)"}


class SpreadsheetExportForm(ExportForm):
    """A choice of file type, CSV first; the one resource and its columns are implied."""

    def __init__(self, formats: list, resources: list, **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].widget = forms.RadioSelect()
        self.fields["format"].label = "File type"
        self.fields["format"].choices = [
            (str(i), FORMAT_LABELS.get(fmt().get_extension(), fmt().get_title()))
            for i, fmt in enumerate(formats)
        ]
        self.fields["format"].initial = "0"
        self.fields["resource"].widget = forms.HiddenInput()
        self.fields["resource"].initial = "0"


class SpreadsheetFormats:
    """CSV and XLSX only, exported with the resource's own columns."""

    export_form_class = SpreadsheetExportForm
    export_template_name = "admin/recruiting/export.html"
    to_encoding = "utf-8-sig"  # a byte order mark, so that Excel reads accents right
    export_file_name = "export"

    def get_import_formats(self) -> list:
        return [CSV, XLSX]

    def get_export_formats(self) -> list:
        return [CSV, XLSX]

    def get_export_filename(self, request: HttpRequest, queryset: Any, file_format: Any) -> str:
        today = timezone.localdate().isoformat()
        return f"{self.export_file_name}-{today}.{file_format.get_extension()}"

    def init_request_context_data(self, request: HttpRequest, form: Any) -> dict[str, Any]:
        context = super().init_request_context_data(request, form)  # type: ignore[misc]
        context["export_count"] = self.get_export_queryset(request).count()  # type: ignore[attr-defined]
        context["filtered"] = any(key not in ("o", "p") for key in request.GET)
        context["title"] = f"Export {self.model._meta.verbose_name_plural}"  # type: ignore[attr-defined]
        return context
