from __future__ import annotations

from typing import Any

from django import forms

from recruiting import rules
from recruiting.models import Candidate, Interviewer
from recruiting.services import SkillsMode
from recruiting.typed_fields import KeyValueField, SkillsField
from recruiting.wording import plural


class InterviewerForm(forms.ModelForm):
    confirm_id_change = forms.BooleanField(
        required=False,
        label="Change the id anyway",
        help_text="Needed only to change the interviewer id of an Interviewer whose candidates "
        "were already sent: they stay in InterviewFlowAI under the old id.",
    )

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
        field_classes = {"skills": SkillsField}
        help_texts = {"skills": f"Default skills for its candidates. {rules.SKILLS_HELP}"}
        error_messages = {
            "external_id": {
                "required": "Paste the interviewerId that InterviewFlowAI shows for this "
                "Interviewer: candidates are sent to it.",
                "invalid": "This is not an interviewerId. Copy it from InterviewFlowAI; it "
                "looks like 3f6c2a9e-5b1d-4c8e-9f2a-7d4e1b0c8a11.",
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["confirm_id_change"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        sent = self._sent_under_old_id(cleaned.get("external_id"))
        if sent and not cleaned.get("confirm_id_change"):
            self.add_error(
                "external_id",
                f"{plural(sent, 'candidate')} of this Interviewer went to InterviewFlowAI under "
                f"the interviewer id {self.instance.external_id}: their history and "
                "InterviewFlowAI's events point there. To change it anyway, tick “Change the "
                "id anyway” below.",
            )
        return cleaned

    def _sent_under_old_id(self, new_id: Any) -> int:
        if self.instance.pk is None or new_id is None or new_id == self.instance.external_id:
            return 0
        return self.instance.candidates.exclude(state__in=Candidate.EDITABLE_STATES).count()


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
            "skills": SkillsField,
            "additional_fields": KeyValueField,
            "metadata": KeyValueField,
        }
        help_texts = {
            "skills": f"Blank uses the Interviewer's skills. {rules.SKILLS_HELP}",
            "additional_fields": "Tags shown in InterviewFlowAI, one a line: Manual Score: 72.",
            "metadata": "External references, one a line: External ID: c_123.",
        }

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
