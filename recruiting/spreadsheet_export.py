"""Exports in the admin: CSV or XLSX of what a list shows, on a page that says so.

CSV is streamed as it is written, so an export of any size starts at once and holds a few
hundred rows at a time; XLSX is written row by row (openpyxl's write-only mode) to a
temporary file, then sent, since a workbook is a zip that is complete only at its end.
"""

from __future__ import annotations

import itertools
import tempfile
from typing import IO, Any

import openpyxl
from django import forms
from django.contrib import messages
from django.core.exceptions import FieldError, PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm
from import_export.signals import post_export
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from recruiting.resources import ExportTable
from recruiting.spreadsheets import csv_chunks

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

    def export_action(self, request: HttpRequest) -> HttpResponseBase:
        """django-import-export's Export page, its file written as the rows are read.

        The package's own view hands the file to an HttpResponse, which holds all of it:
        this one is the same steps through the package's public hooks, ending in a
        streamed answer instead.
        """
        if not self.has_export_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        formats = self.get_export_formats()
        queryset = self.get_export_queryset(request)  # type: ignore[attr-defined]
        if self.is_skip_export_form_enabled():  # type: ignore[attr-defined]
            return self.export_response(request, queryset, file_format=formats[0]())
        form = self.get_export_form_class()(  # type: ignore[attr-defined]
            formats,
            self.get_export_resource_classes(request),  # type: ignore[attr-defined]
            data=request.POST or None,
        )
        if form.is_valid():
            file_format = formats[int(form.cleaned_data["format"])]()
            try:
                return self.export_response(request, queryset, file_format=file_format, form=form)
            except (ValueError, FieldError) as error:  # as the package's own view says them
                messages.error(request, str(error))
        context = self.init_request_context_data(request, form)
        request.current_app = self.admin_site.name  # type: ignore[attr-defined]
        return TemplateResponse(request, [self.export_template_name], context=context)

    def export_response(
        self, request: HttpRequest, queryset: Any, *, file_format: Any, form: Any = None
    ) -> HttpResponseBase:
        """The file: CSV streamed as it is written, XLSX from a temporary file."""
        resource_class = self.choose_export_resource_class(form, request)  # type: ignore[attr-defined]
        resource = resource_class(**self.get_export_resource_kwargs(request))  # type: ignore[attr-defined]
        table = resource.export_table(queryset)
        name = self.get_export_filename(request, queryset, file_format)
        content_type = file_format.get_content_type()
        if file_format.get_extension() == "csv":
            rows = itertools.chain([table.header], table.rows)
            chunks = csv_chunks(rows, encoding=self.to_encoding)
            response: HttpResponseBase = StreamingHttpResponse(chunks, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        else:
            response = FileResponse(
                xlsx_file(table, title=self.export_file_name),
                as_attachment=True,
                filename=name,
                content_type=content_type,
            )
        post_export.send(sender=None, model=self.model)  # type: ignore[attr-defined]
        return response

    def init_request_context_data(self, request: HttpRequest, form: Any) -> dict[str, Any]:
        context = super().init_request_context_data(request, form)  # type: ignore[misc]
        context["export_count"] = self.get_export_queryset(request).count()  # type: ignore[attr-defined]
        context["filtered"] = any(key not in ("o", "p") for key in request.GET)
        context["title"] = f"Export {self.model._meta.verbose_name_plural}"  # type: ignore[attr-defined]
        return context


def xlsx_file(table: ExportTable, *, title: str) -> IO[bytes]:
    """The table as a workbook in a temporary file, its rows written one by one."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_bold(sheet, header, bold) for header in table.header])
    for row in table.rows:
        sheet.append(row)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(file)
    file.seek(0)
    return file


def _bold(sheet: Any, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell
