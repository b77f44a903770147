from __future__ import annotations

import re

from django import forms

from recruiting.models import Candidate
from recruiting.services import SkillsMode

SKILL_SEPARATORS = re.compile(r"[,;|\n]")


def split_skills(text: str) -> list[str]:
    return [part.strip() for part in SKILL_SEPARATORS.split(text or "") if part.strip()]


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
        return split_skills(self.cleaned_data["skills"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("mode") in (SkillsMode.ADD, SkillsMode.REMOVE) and not cleaned.get("skills"):
            raise forms.ValidationError("Type at least one skill to add or remove.")
        return cleaned
