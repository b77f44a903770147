from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from recruiting import rules
from recruiting.models import Candidate, Interviewer
from recruiting.services import SkillsMode

JSON_TEXTAREA = forms.Textarea(attrs={"rows": 3, "cols": 60, "class": "json-input"})


class JSONTextField(forms.JSONField):
    """JSON typed by staff: a blank box means empty, and a typing mistake is pointed out.

    The shape (list or object) is checked by the model field's validators, which say what
    is expected in the words used everywhere else.
    """

    empty: Callable[[], Any] = list
    example = '["python", "aws"]'

    def to_python(self, value: Any) -> Any:
        if self.disabled:
            return value
        if isinstance(value, str):
            try:
                value = json.loads(value, cls=self.decoder) if value.strip() else None
            except json.JSONDecodeError as error:
                raise ValidationError(
                    "This is not valid JSON: %(problem)s at line %(line)s, column %(column)s. "
                    "Write it like %(example)s, with text in double quotes.",
                    code="invalid",
                    params={
                        "problem": error.msg.lower(),
                        "line": error.lineno,
                        "column": error.colno,
                        "example": self.example,
                    },
                ) from error
        # Blank, null, [] and {} all mean "nothing here"; the column itself is never NULL.
        return self.empty() if value in self.empty_values else value


class JSONObjectField(JSONTextField):
    empty = dict
    example = '{"Manual Score": 72}'


class InterviewerForm(forms.ModelForm):
    class Meta:
        model = Interviewer
        fields = [
            "external_id",
            "name",
            "visibility",
            "resume_screening",
            "screening_questions",
            "skills",
            "active",
        ]
        field_classes = {"skills": JSONTextField}
        widgets = {"skills": JSON_TEXTAREA}
        error_messages = {
            "external_id": {
                "required": "Paste the interviewerId that InterviewFlowAI shows for this "
                "Interviewer: candidates are sent to it.",
                "invalid": "This is not an interviewerId. Copy it from InterviewFlowAI; it "
                "looks like 3f6c2a9e-5b1d-4c8e-9f2a-7d4e1b0c8a11.",
            }
        }


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "interviewer",
            "name",
            "email",
            "status",
            "skills",
            "additional_fields",
            "metadata",
            "send_email_after",
        ]
        field_classes = {
            "skills": JSONTextField,
            "additional_fields": JSONObjectField,
            "metadata": JSONObjectField,
        }
        widgets = dict.fromkeys(field_classes, JSON_TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The admin saves only the changed fields, so "changed" must mean "differs from the
        # candidate as stored", not from a hidden copy the browser may or may not send back
        # (Django adds one to fields whose model default is callable).
        for field in self.fields.values():
            field.show_hidden_initial = False


class SetStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Blank: the Interviewer's default"), *Candidate.Status.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="Shortlisted candidates go straight to the interview; drafts fill in the "
        "application form first.",
    )


class SetSkillsForm(forms.Form):
    mode = forms.ChoiceField(
        choices=[
            (SkillsMode.REPLACE, "Replace their skills with these"),
            (SkillsMode.ADD, "Add these skills"),
            (SkillsMode.REMOVE, "Remove these skills"),
        ],
        initial=SkillsMode.ADD,
        widget=forms.RadioSelect,
    )
    skills = forms.CharField(
        required=False,
        help_text="Separate skills with commas, semicolons or |. Replacing with nothing "
        "makes the candidates use their Interviewer's skills.",
        widget=forms.TextInput(attrs={"size": 60, "placeholder": "python, aws, postgres"}),
    )

    def clean_skills(self) -> list[str]:
        return rules.split_skills(self.cleaned_data["skills"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("mode") in (SkillsMode.ADD, SkillsMode.REMOVE) and not cleaned.get("skills"):
            raise forms.ValidationError("Type at least one skill to add or remove.")
        return cleaned
