"""The forms of the admin's import: upload, column mapping, confirm.

Each page after the upload carries the stored upload's name and the recruiter's choices
in hidden fields, checked again when they come back.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.forms import ConfirmImportForm, ImportForm

from recruiting import rules
from recruiting.imports.mapping import (
    NO_MAPPING,
    ColumnMapping,
    mapping_from_json,
    mapping_problems,
)
from recruiting.imports.proposal import FileColumn
from recruiting.imports.results import ColumnsError, ImportOptions
from recruiting.imports.saved import header_signature
from recruiting.imports.targets import (
    CHOICES,
    KEY_MAX_LENGTH,
    KEYED,
    TARGET_WORDS,
    keyed,
    target_problem,
)
from recruiting.models import Candidate, ImportMapping, Interviewer
from recruiting.reading import Format, size_problem
from recruiting.typed_fields import KeyValueField
from recruiting.uploads import UPLOAD_NAME
from recruiting.wording import listed

STATUS_CHOICES = [
    ("", "As in the file (blank: the Interviewer's default)"),
    *Candidate.Status.choices,
]
STATUS_VALUE_CHOICES = [("", "blank: the Interviewer's default"), *Candidate.Status.choices]
CHOICE_FIELDS = ("interviewer", "status", "skills", "push")
NO_INTERVIEWER = (
    "No column is read as the interviewer and no Default Interviewer is chosen, so every row "
    "would be refused: choose a Default Interviewer, or the column that names the Interviewer."
)


class ImportChoicesMixin(forms.Form):
    """What applies to every row of the file, asked with the upload and kept until confirm."""

    interviewer = forms.ModelChoiceField(
        queryset=Interviewer.objects.all(),
        required=False,
        label="Default Interviewer",
        help_text="For rows with no interviewer column, or a blank one.",
    )
    status = forms.ChoiceField(
        choices=STATUS_CHOICES,
        required=False,
        label="Status for every row",
        help_text="When chosen, replaces the file's status column.",
    )
    skills = forms.CharField(
        required=False,
        label="Skills for every row",
        help_text="Added to each row's skills. Separate skills with commas, semicolons or |.",
        widget=forms.TextInput(attrs={"size": 60, "placeholder": "python, aws"}),
    )
    push = forms.BooleanField(
        required=False,
        label="Push after import",
        help_text="Send the imported candidates to InterviewFlowAI as soon as the import is "
        "confirmed.",
    )

    def import_options(self, *, valid_only: bool = False) -> ImportOptions:
        data = self.cleaned_data
        return ImportOptions(
            interviewer=data.get("interviewer"),
            status=data.get("status") or "",
            skills=tuple(rules.split_skills(data.get("skills") or "")),
            push=bool(data.get("push")),
            valid_only=valid_only,
        )


CHOSEN_AS = {"name": "the name (or first name and last name)", "email": "the email"}


def choices_problem(error: ColumnsError) -> str:
    """Why the choices made on the mapping step cannot be read, naming what is missing."""
    if not error.missing:
        return str(error)
    wanted = listed([CHOSEN_AS[name] for name in error.missing])
    closest = [f"“{h}”" for name in error.missing for h in error.closest.get(name, [])]
    hint = f" Closest: {listed(closest)}." if closest else ""
    return (
        f"Still missing: no column is imported as {wanted}. In “Imported as”, choose it for "
        f"the column that holds it; a file without one cannot be imported.{hint}"
    )


def upload_url(form: forms.Form) -> str:
    """The upload page with the choices `form` holds already filled in."""
    values = {name: form[name].value() for name in CHOICE_FIELDS if name in form.fields}
    choices = {name: value for name, value in values.items() if value and name != "push"}
    if values.get("push") in (True, "True", "on", "1"):
        choices["push"] = "1"
    url = reverse("admin:recruiting_candidate_import")
    return f"{url}?{urlencode(choices)}" if choices else url


def choices_initial(query: Any) -> dict[str, Any]:
    """The upload form's initial choices from the query `upload_url` wrote."""
    initial = {name: query[name] for name in ("interviewer", "status", "skills") if query.get(name)}
    return {**initial, "push": query.get("push") == "1"}


class CandidateImportForm(ImportChoicesMixin, ImportForm):
    field_order = ["import_file", "interviewer", "status", "skills", "push"]

    def __init__(self, formats: list, resources: list, **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        # CSV or XLSX is recognised from the content, whatever the file is called.
        del self.fields["format"]
        self.fields["import_file"].help_text = (
            "CSV (UTF-8, comma or semicolon separated) or Excel .xlsx, up to "
            f"{settings.IMPORT_MAX_UPLOAD_MB} MB; the first row names the columns."
        )

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        if problem := size_problem(upload.size):
            raise forms.ValidationError(problem)
        return upload


class StoredUploadForm(ImportChoicesMixin, ConfirmImportForm):
    """A page about an upload kept in storage: its name, its format, the choices so far."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CHOICE_FIELDS:
            if name in self.fields:
                self.fields[name].widget = forms.HiddenInput()

    def clean_import_file_name(self) -> str:
        name = super().clean_import_file_name()
        if not UPLOAD_NAME.fullmatch(name):
            raise forms.ValidationError("Not the name of an uploaded file.")
        return name

    def clean_format(self) -> Format:
        try:
            return Format(self.cleaned_data["format"])
        except ValueError as error:
            raise forms.ValidationError("Unknown file format.") from error


class CandidateConfirmImportForm(StoredUploadForm):
    valid_only = forms.BooleanField(
        required=False,
        label="Import only the valid rows",
        help_text="Leave the invalid rows out and import the others.",
    )
    mapping = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The page also holds the upload form: its own ids keep labels pointing right.
        kwargs.setdefault("auto_id", "confirm_%s")
        super().__init__(*args, **kwargs)

    def clean_mapping(self) -> ColumnMapping:
        return mapping_field(self.cleaned_data["mapping"])


def mapping_field(text: str) -> ColumnMapping:
    """The column mapping a page carries: blank for the aliases alone."""
    try:
        return mapping_from_json(text) if text else NO_MAPPING
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


class ColumnsForm(StoredUploadForm):
    """The mapping step: a target for every column, and a status for each status value."""

    status_column = forms.IntegerField(required=False, widget=forms.HiddenInput())
    save_as = forms.CharField(
        required=False,
        max_length=KEY_MAX_LENGTH,
        label="Save this mapping as",
        help_text="A name, such as “Greenhouse export”: the next file with the same headers "
        "is read with it, without this step.",
        widget=forms.TextInput(attrs={"size": 40}),
    )

    def __init__(
        self,
        *args: Any,
        columns: list[FileColumn],
        values: list[str],
        known: ColumnMapping = NO_MAPPING,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Asked here too: a file without an interviewer column needs a default.
        self.fields["interviewer"] = copy.deepcopy(ImportChoicesMixin.base_fields["interviewer"])
        self.file_columns, self.values = columns, values
        for column in columns:
            kind, key = keyed(column.target)
            self.fields[f"column_{column.index}"] = forms.ChoiceField(
                choices=CHOICES, initial=kind, label=column.header
            )
            self.fields[f"key_{column.index}"] = forms.CharField(
                required=False,
                max_length=KEY_MAX_LENGTH,
                initial=key or column.header.strip(),
                label=f"Key for “{column.header}”",
            )
        for number, value in enumerate(values):
            self.fields[f"value_{number}"] = forms.ChoiceField(
                choices=STATUS_VALUE_CHOICES,
                required=False,
                label=value,
                initial=known.known_status(value),
            )

    def rows(self) -> list[tuple[FileColumn, forms.BoundField, forms.BoundField]]:
        """Each column with its two fields, for the page."""
        return [(c, self[f"column_{c.index}"], self[f"key_{c.index}"]) for c in self.file_columns]

    def value_rows(self) -> list[forms.BoundField]:
        return [self[f"value_{number}"] for number in range(len(self.values))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["columns"] = {
            column.header: target
            for column in self.file_columns
            if (target := self._target(column, cleaned))
        }
        cleaned["statuses"] = {
            value: cleaned.get(f"value_{number}") or "" for number, value in enumerate(self.values)
        }
        if "interviewer" not in cleaned["columns"].values() and not cleaned.get("interviewer"):
            self.add_error("interviewer", NO_INTERVIEWER)
        return cleaned

    def _target(self, column: FileColumn, cleaned: dict[str, Any]) -> str:
        kind = cleaned.get(f"column_{column.index}", "")
        target = (
            kind + (cleaned.get(f"key_{column.index}") or "").strip() if kind in KEYED else kind
        )
        if target and (problem := target_problem(target)):
            self.add_error(f"key_{column.index}", problem)
        return target

    def status_index(self) -> int | None:
        """The column chosen as the status, if one is."""
        chosen = [
            c.index
            for c in self.file_columns
            if self.cleaned_data["columns"].get(c.header) == "status"
        ]
        return chosen[0] if chosen else None


class ImportMappingForm(forms.ModelForm):
    """A saved mapping as staff edit it: headers one a line, choices as `Header: target`."""

    headers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text="The header row of the files it is for, one header a line, in order: a file "
        "with these headers is read with this mapping without being asked.",
    )

    class Meta:
        model = ImportMapping
        fields = ["name", "headers", "columns", "statuses", "interviewer"]
        field_classes = {"columns": KeyValueField, "statuses": KeyValueField}
        help_texts = {
            "columns": format_html(
                "What each column of the file is imported as, one “Header: target” a line, for "
                "example “Candidate ID: metadata:External ID”. The targets:{}",
                format_html_join("", "<br><code>{}</code>: {}", TARGET_WORDS),
            ),
            "statuses": "What each value of the status column means, one a line, for example "
            "“Phone Screen: shortlisted”: shortlisted, draft, or nothing after the colon for "
            "the Interviewer's default.",
        }
        widgets = {
            "columns": forms.Textarea(
                attrs={"cols": 60, "placeholder": "Candidate ID: metadata:External ID"}
            ),
            "statuses": forms.Textarea(
                attrs={"cols": 60, "placeholder": "Phone Screen: shortlisted"}
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self.initial.get("headers"), list):
            self.initial["headers"] = "\n".join(self.initial["headers"])
        for name in ("headers", "columns", "statuses"):
            self.fields[name].widget.attrs["rows"] = _rows_for(self[name].value())

    def clean_headers(self) -> list[str]:
        headers = [line.strip() for line in self.cleaned_data["headers"].splitlines()]
        return [header for header in headers if header]

    def clean_statuses(self) -> dict[str, Any]:
        # A blank status is the Interviewer's default, not a missing value.
        return {value: status or "" for value, status in self.cleaned_data["statuses"].items()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for problem in mapping_problems(cleaned.get("columns", {}), cleaned.get("statuses", {})):
            self.add_error("columns", problem)
        self.instance.signature = header_signature(cleaned.get("headers", []))
        return cleaned


def _rows_for(value: Any) -> int:
    """A box tall enough for every line it holds, and one more to type."""
    lines = value if isinstance(value, (list, dict)) else str(value or "").splitlines()
    return max(3, len(lines) + 1)
