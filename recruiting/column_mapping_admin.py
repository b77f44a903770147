"""The import's mapping step: between the upload and the preview, say what each column is.

Shown when the file lacks a required column or has columns nothing recognises, and no
mapping was saved for its headers. Every column is listed with a few of its values and a
target proposed by the saved mappings' earlier choices and the aliases; the values of
the status column can be translated too. The choices can be saved under a name, and the
next file with the same headers goes straight to the preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from recruiting.import_forms import (
    STATUS_VALUE_CHOICES,
    ColumnsForm,
    StoredUploadForm,
    choices_problem,
    mapping_field,
    upload_url,
)
from recruiting.imports.columns import map_columns
from recruiting.imports.mapping import ColumnMapping
from recruiting.imports.proposal import (
    ColumnsProposal,
    columns_propose,
    columns_values,
    status_values,
)
from recruiting.imports.results import ColumnsError
from recruiting.imports.saved import column_mapping, import_mapping_save
from recruiting.reading import Format, SpreadsheetError
from recruiting.uploads import UploadStorage, upload_storage

COLUMNS_TEMPLATE = "admin/recruiting/candidate/import_columns.html"
GONE = "The uploaded file is no longer kept: upload it again."


@dataclass(frozen=True)
class StoredUpload:
    """An upload kept between the pages of an import, with what is known of it."""

    storage: UploadStorage
    fmt: Format
    file_name: str


class ColumnMappingStep:
    """Mixed into the import admin, which provides `preview` and the permissions."""

    def columns_urls(self) -> list:
        view = self.admin_site.admin_view(self.columns_view)  # type: ignore[attr-defined]
        return [path("import/columns/", view, name="recruiting_candidate_import_columns")]

    def columns_page(
        self,
        request: HttpRequest,
        proposal: ColumnsProposal,
        stored: StoredUpload,
        *,
        import_form: Any = None,
        form: ColumnsForm | None = None,
        asking_values: bool = False,
    ) -> TemplateResponse:
        """The step's page: a fresh form after the upload, or the one posted, corrected."""
        if form is None:
            status = _status_column(proposal)
            form = ColumnsForm(
                columns=proposal.columns,
                values=_values(stored, status),
                known=proposal.hints,
                initial=_initial(self, request, stored, import_form, status),
            )
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": "Import candidates: the columns",
            "opts": self.model._meta,  # type: ignore[attr-defined]
            "form": form,
            "proposal": proposal,
            "file_name": stored.file_name,
            "asking_values": asking_values,
            # What the file lacks as the aliases read it, until the recruiter has chosen.
            "problem": None if form.is_bound else proposal.problem,
            "unknown": [] if form.is_bound else proposal.unknown,
            "closest": [] if form.is_bound else _closest(proposal),
            "no_interviewer": not form.is_bound
            and not proposal.names_interviewer
            and not form["interviewer"].value(),
            "upload_url": upload_url(form),
            "column_values": _proposed_values(stored, proposal),
            "status_choices": STATUS_VALUE_CHOICES,
        }
        request.current_app = self.admin_site.name  # type: ignore[attr-defined]
        return TemplateResponse(request, [COLUMNS_TEMPLATE], context)

    @method_decorator(require_POST)
    def columns_view(self, request: HttpRequest) -> HttpResponse:
        """The choices posted: the page again while they need more, else the preview."""
        if not self.has_import_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        upload = StoredUploadForm(request.POST)
        if not upload.is_valid():
            return self._gone(request)
        data = upload.cleaned_data
        stored = StoredUpload(
            upload_storage(data["import_file_name"]), data["format"], data["original_file_name"]
        )
        if not stored.storage.exists():
            return self._gone(request)
        try:
            if "start" in request.POST:  # from a preview: the step, as the preview read it
                return self._restart(request, stored, upload)
            return self._choices_made(request, stored)
        except SpreadsheetError as error:
            self.message_user(request, str(error), messages.ERROR)  # type: ignore[attr-defined]
            return HttpResponseRedirect(reverse("admin:recruiting_candidate_import"))

    def _restart(
        self, request: HttpRequest, stored: StoredUpload, upload: StoredUploadForm
    ) -> HttpResponse:
        try:
            hints = mapping_field(request.POST.get("mapping", ""))
        except forms.ValidationError:
            hints = None  # the step proposes afresh
        with stored.storage.open() as file:
            proposal = columns_propose(file=file, fmt=stored.fmt, hints=hints)
        return self.columns_page(request, proposal, stored, import_form=upload)

    def _choices_made(self, request: HttpRequest, stored: StoredUpload) -> HttpResponse:
        with stored.storage.open() as file:
            proposal = columns_propose(file=file, fmt=stored.fmt)
        shown = _whole(request.POST.get("status_column"))
        form = ColumnsForm(request.POST, columns=proposal.columns, values=_values(stored, shown))
        if not form.is_valid():
            return self.columns_page(request, proposal, stored, form=form)
        chosen = form.status_index()
        if chosen is not None and chosen != shown and (values := _values(stored, chosen)):
            data = request.POST.copy()
            data["status_column"] = str(chosen)
            for number, value in enumerate(values):  # proposed as a fresh page would
                data[f"value_{number}"] = proposal.hints.known_status(value)
            again = ColumnsForm(data, columns=proposal.columns, values=values)
            return self.columns_page(request, proposal, stored, form=again, asking_values=True)
        mapping = ColumnMapping.of(form.cleaned_data["columns"], form.cleaned_data["statuses"])
        try:
            map_columns(proposal.header, mapping)
        except ColumnsError as error:
            form.add_error(None, choices_problem(error))
            return self.columns_page(request, proposal, stored, form=form)
        if name := form.cleaned_data["save_as"].strip():
            mapping = self._save(request, name, proposal, form)
        return self.preview(request, stored, form, mapping=mapping)  # type: ignore[attr-defined]

    def _save(
        self, request: HttpRequest, name: str, proposal: ColumnsProposal, form: ColumnsForm
    ) -> ColumnMapping:
        saved = import_mapping_save(
            name=name,
            header=proposal.header,
            columns=form.cleaned_data["columns"],
            statuses=form.cleaned_data["statuses"],
            interviewer=form.cleaned_data.get("interviewer"),
        )
        self.message_user(  # type: ignore[attr-defined]
            request,
            f"Mapping “{saved.name}” saved: the next file with these headers is read with it.",
            messages.SUCCESS,
        )
        return column_mapping(saved)

    def _gone(self, request: HttpRequest) -> HttpResponseRedirect:
        self.message_user(request, GONE, messages.ERROR)  # type: ignore[attr-defined]
        return HttpResponseRedirect(reverse("admin:recruiting_candidate_import"))


def _initial(
    admin: Any, request: HttpRequest, stored: StoredUpload, import_form: Any, status: int | None
) -> dict[str, Any]:
    """The hidden fields: the upload, the choices made with it, the status column shown."""
    return {
        **admin.get_confirm_form_initial(request, import_form),
        "import_file_name": stored.storage.name,
        "original_file_name": stored.file_name,
        "format": stored.fmt.value,
        "status_column": status,
    }


def _closest(proposal: ColumnsProposal) -> list[tuple[str, int]]:
    """The headers named as closest to a missing column, each with its row on the page."""
    if proposal.problem is None:
        return []
    named = dict.fromkeys(h for headers in proposal.problem.closest.values() for h in headers)
    return [(header, proposal.header.index(header)) for header in named]


def _status_column(proposal: ColumnsProposal) -> int | None:
    found = [column.index for column in proposal.columns if column.target == "status"]
    return found[0] if found else None


def _values(stored: StoredUpload, index: int | None) -> list[str]:
    """The values of the status column to translate; none without one."""
    if index is None:
        return []
    with stored.storage.open() as file:
        return status_values(file=file, fmt=stored.fmt, index=index)


def _proposed_values(stored: StoredUpload, proposal: ColumnsProposal) -> dict[int, list]:
    """Each column's values with the status proposed for each, for the page's script."""
    with stored.storage.open() as file:
        found = columns_values(file=file, fmt=stored.fmt)
    known = proposal.hints.known_status
    return {index: [(v, known(v)) for v in values] for index, values in found.items() if values}


def _whole(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
