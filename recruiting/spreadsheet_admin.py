"""Import and export in the admin, through django-import-export's admin mixins.

django-import-export brings the buttons, URLs, permissions, formats, the export view and
the storage of uploads between preview and confirm; the rows themselves are checked and
written by `recruiting.imports`, in bulk, so that large files stay fast.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin

from ingestion.candidate_actions import push_report
from ingestion.dispatch import imported_push
from recruiting.column_mapping_admin import ColumnMappingStep, StoredUpload
from recruiting.import_forms import (
    CandidateConfirmImportForm,
    CandidateImportForm,
    ImportChoicesMixin,
    choices_initial,
    mapping_field,
    upload_url,
)
from recruiting.imports.mapping import NO_MAPPING, ColumnMapping
from recruiting.imports.messages import import_messages
from recruiting.imports.proposal import columns_propose
from recruiting.imports.results import ImportResult, RowAction
from recruiting.imports.service import NO_ROWS, candidates_import
from recruiting.imports.targets import IGNORE, TARGET_WORDS
from recruiting.notices import tell
from recruiting.reading import SpreadsheetError, detect_format
from recruiting.resources import CandidateResource
from recruiting.spreadsheet_export import SpreadsheetFormats
from recruiting.spreadsheets import csv_bytes
from recruiting.uploads import UploadStorage, upload_storage

PROBLEMS_SHOWN = 500
# The columns a file may have besides the name and the email, for the upload's intro.
OPTIONAL_COLUMNS = [(c, w) for c, w in TARGET_WORDS if c not in ("name", "email", IGNORE)]


class CandidateImportExport(ColumnMappingStep, SpreadsheetFormats, ImportExportMixin):
    """Mixed into the Candidate admin: Import and Export buttons, each with its permission."""

    resource_classes = [CandidateResource]
    import_form_class = CandidateImportForm
    confirm_form_class = CandidateConfirmImportForm
    import_template_name = "admin/recruiting/candidate/import.html"
    tmp_storage_class = UploadStorage
    export_file_name = "candidates"

    def get_urls(self) -> list:
        problems = self.admin_site.admin_view(self.import_problems_view)
        return [
            path(
                "import/<str:name>/problems.csv",
                problems,
                name="recruiting_candidate_import_problems",
            ),
            *self.columns_urls(),
            *super().get_urls(),
        ]

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Upload and preview: check every row and show what confirming would do."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method != "POST" or not form.is_valid():
            return self._import_page(request, form=form)
        upload = form.cleaned_data["import_file"]
        storage = upload_storage()
        storage.save_upload(upload)
        try:
            with storage.open() as file:
                fmt = detect_format(file, upload.name)
                proposal = columns_propose(file=file, fmt=fmt)
            if not proposal.has_rows:
                raise SpreadsheetError(NO_ROWS)
            stored = StoredUpload(storage, fmt, upload.name)
            if proposal.needs_choices or not (
                proposal.names_interviewer or form.cleaned_data.get("interviewer")
            ):
                return self.columns_page(request, proposal, stored, import_form=form)
            return self.preview(request, stored, form, mapping=proposal.mapping, upload_form=form)
        except SpreadsheetError as error:
            storage.remove()
            form.add_error("import_file", str(error))
            return self._import_page(request, form=form)

    def preview(
        self,
        request: HttpRequest,
        stored: StoredUpload,
        choices_form: ImportChoicesMixin,
        *,
        mapping: ColumnMapping,
        upload_form: CandidateImportForm | None = None,
    ) -> TemplateResponse:
        """Check every row of the stored upload by `mapping`, and show what confirming does."""
        with stored.storage.open() as file:
            result = candidates_import(
                file=file,
                fmt=stored.fmt,
                options=choices_form.import_options(),
                dry_run=True,
                mapping=mapping,
            )
        confirm_form = self.create_confirm_form(request, import_form=choices_form)
        confirm_form.initial.update(
            import_file_name=stored.storage.name,
            original_file_name=stored.file_name,
            format=stored.fmt.value,
            mapping=mapping.as_json(),
        )
        return self._preview_page(
            request,
            result,
            form=upload_form,
            confirm_form=confirm_form,
            file_name=stored.file_name,
            storage=stored.storage,
            choices=choices_form.cleaned_data,
            mapping=mapping,
        )

    def get_import_form_initial(self, request: HttpRequest) -> dict[str, Any]:
        """The choices made before, when the recruiter comes back to upload again."""
        return choices_initial(request.GET)

    def create_import_form(self, request: HttpRequest) -> CandidateImportForm:
        form = super().create_import_form(request)
        if not self._may_push(request):
            del form.fields["push"]
        return form

    def _may_push(self, request: HttpRequest) -> bool:
        # Pushing after an import needs the same permission as the Push action.
        return self.has_push_permission(request)  # from CandidateDeliveryActions

    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict:
        if import_form is None:
            return {}
        data = import_form.cleaned_data
        return {
            "interviewer": data["interviewer"].pk if data.get("interviewer") else "",
            "status": data.get("status", ""),
            "skills": data.get("skills", ""),
            "push": data.get("push", False),
        }

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Confirm: check the rows again against the database as it is now, then write."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return self._back_to_upload(
                request, "The import form was incomplete: upload the file again."
            )
        data = confirm_form.cleaned_data
        storage = upload_storage(data["import_file_name"])
        if not storage.exists():
            return self._back_to_upload(
                request,
                "The uploaded file is no longer kept (uploads are removed after "
                f"{settings.IMPORT_UPLOAD_MAX_AGE_HOURS} hours): upload it again.",
            )
        options = confirm_form.import_options(valid_only=data["valid_only"])
        if options.push and not self._may_push(request):
            raise PermissionDenied
        try:
            with storage.open() as file:
                result = candidates_import(
                    file=file,
                    fmt=data["format"],
                    options=options,
                    dry_run=False,
                    mapping=data["mapping"],
                )
        except SpreadsheetError as error:
            return self._back_to_upload(request, str(error))
        return self._imported(request, result, confirm_form=confirm_form, storage=storage)

    def _back_to_upload(self, request: HttpRequest, error: str) -> HttpResponseRedirect:
        self.message_user(request, error, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:recruiting_candidate_import"))

    def _imported(
        self,
        request: HttpRequest,
        result: ImportResult,
        *,
        confirm_form: CandidateConfirmImportForm,
        storage: UploadStorage,
    ) -> HttpResponse:
        """The change list once the rows are written; the preview again when they are not."""
        if not result.written:
            # Rows turned invalid since the preview (an Interviewer changed, say): show why.
            self._tell(request, result)
            data = confirm_form.cleaned_data
            return self._preview_page(
                request,
                result,
                form=None,
                confirm_form=confirm_form,
                file_name=data["original_file_name"],
                storage=storage,
                choices=data,
                mapping=data["mapping"],
            )
        storage.remove()
        self._tell(request, result)
        if pushed := imported_push(result, user=request.user):
            push_report(self, request, pushed)
        return HttpResponseRedirect(reverse("admin:recruiting_candidate_changelist"))

    def import_problems_view(self, request: HttpRequest, name: str) -> HttpResponse:
        """Every invalid row of an upload as CSV, for files with more than a page of them."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportChoicesMixin(request.GET)
        try:
            storage = upload_storage(name)
            mapping = mapping_field(request.GET.get("mapping", ""))
        except (ValueError, forms.ValidationError) as error:
            raise PermissionDenied from error
        if not form.is_valid() or not storage.exists():
            return HttpResponse("This upload is no longer kept.", status=404)
        with storage.open() as file:
            result = candidates_import(
                file=file,
                fmt=detect_format(file),
                options=form.import_options(),
                dry_run=True,
                preview_rows=0,
                mapping=mapping,
            )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="import-problems.csv"'
        rows = [(note.row, note.column, note.message) for note in result.problems]
        response.write(csv_bytes([["row", "column", "problem"], *rows]))
        return response

    def _tell(self, request: HttpRequest, result: ImportResult) -> None:
        tell(self, request, import_messages(result))

    def _preview_page(
        self,
        request: HttpRequest,
        result: ImportResult,
        *,
        form: CandidateImportForm | None,
        confirm_form: CandidateConfirmImportForm,
        file_name: str,
        storage: UploadStorage,
        choices: dict[str, Any],
        mapping: ColumnMapping,
    ) -> TemplateResponse:
        """What the file would do, with the form that confirms it and the choices it keeps."""
        return self._import_page(
            request,
            form=form,
            result=result,
            confirm_form=confirm_form,
            file_name=file_name,
            problems_url=_problems_url(storage.name, choices, mapping),
            will_push=choices.get("push", False),
            upload_url=upload_url(confirm_form),
            mapping_url=_mapping_url(mapping),
        )

    def _import_page(
        self,
        request: HttpRequest,
        *,
        form: Any,
        result: ImportResult | None = None,
        **context: Any,
    ) -> TemplateResponse:
        context.update(
            {
                **self.admin_site.each_context(request),
                "title": "Import candidates",
                "form": form,
                "opts": self.model._meta,
                "result": result,
                "optional_columns": OPTIONAL_COLUMNS,
            }
        )
        if result is not None:
            context.update(_preview_context(result))
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)


def _preview_context(result: ImportResult) -> dict[str, Any]:
    return {
        "counts": [(action, result.counts[action]) for action in RowAction],
        "valid_rows": result.total - result.invalid,
        "problems_shown": result.problems[:PROBLEMS_SHOWN],
        "problems_more": max(0, len(result.problems) - PROBLEMS_SHOWN),
        "skipped_shown": result.skipped[:PROBLEMS_SHOWN],
        "skipped_more": max(0, len(result.skipped) - PROBLEMS_SHOWN),
        # A column read under another name says which; one read by its own name needs not.
        "mapped_columns": [
            (header, "" if header.strip().lower() == target.lower() else target)
            for header, target in result.mapped_columns
        ],
    }


def _problems_url(upload_name: str, choices: dict[str, Any], mapping: ColumnMapping) -> str:
    interviewer = choices.get("interviewer")
    query = urlencode(
        {
            "interviewer": interviewer.pk if interviewer else "",
            "status": choices.get("status") or "",
            "skills": choices.get("skills") or "",
            "mapping": mapping.as_json() if mapping != NO_MAPPING else "",
        }
    )
    url = reverse("admin:recruiting_candidate_import_problems", args=[upload_name])
    return f"{url}?{query}"


def _mapping_url(mapping: ColumnMapping) -> str:
    """Where the saved mapping the columns were read by can be changed."""
    if not mapping.name:
        return ""
    url = reverse("admin:recruiting_importmapping_changelist")
    return f"{url}?{urlencode({'q': mapping.name})}"
