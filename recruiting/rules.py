"""Domain rules shared by model validation, imports and the last check before sending.

Each function returns a message a recruiter can act on, or None when the value is fine.
"""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

SEND_EMAIL_AFTER_MIN = 1
SEND_EMAIL_AFTER_MAX = 96
# The metadata key InterviewFlowAI reads the invitation delay from.
SEND_EMAIL_AFTER_KEY = "sendEmailAfter"
SHORTLISTED = "shortlisted"
DRAFT = "draft"
SKILL_SEPARATORS = re.compile(r"[,;|\n]")


class Interviewer(Protocol):
    """What the rules read of an Interviewer (the model, without importing it)."""

    name: str
    resume_screening: bool
    screening_questions: bool

    @property
    def default_status(self) -> str: ...


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def name_problem(name: str) -> str | None:
    if not (name or "").strip():
        return "The name is blank: InterviewFlowAI rejects candidates without a name."
    return None


def email_problem(email: str) -> str | None:
    if not (email or "").strip():
        return "The email address is blank."
    try:
        validate_email(normalise_email(email))
    except ValidationError:
        return f"“{email}” is not a valid email address."
    return None


def skills_problem(skills: Any) -> str | None:
    if skills in (None, ""):
        return None
    if not isinstance(skills, list):
        return 'Skills must be a list of words, for example ["python", "aws"].'
    seen: set[str] = set()
    for skill in skills:
        if not isinstance(skill, str) or not skill.strip():
            return "Every skill must be a non-blank piece of text."
        key = skill.strip().lower()
        if key in seen:
            return f"The skill “{skill.strip()}” is listed twice."
        seen.add(key)
    return None


def split_skills(text: str) -> list[str]:
    """Skills typed as text: separated by commas, semicolons, | or new lines."""
    return [part.strip() for part in SKILL_SEPARATORS.split(text or "") if part.strip()]


def clean_skills(skills: list[str]) -> list[str]:
    """Trim each skill and drop blanks and repeats (case-insensitive), keeping the order."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for skill in skills:
        skill = str(skill).strip()
        if skill and skill.lower() not in seen:
            seen.add(skill.lower())
            cleaned.append(skill)
    return cleaned


def invitation_delay_allowed(hours: Any) -> bool:
    """InterviewFlowAI delays an invitation by 1 to 96 hours; it documents nothing else."""
    return (
        not isinstance(hours, bool)
        and isinstance(hours, int | float)
        and SEND_EMAIL_AFTER_MIN <= hours <= SEND_EMAIL_AFTER_MAX
    )


def send_email_after_problem(hours: Any) -> str | None:
    if hours in (None, ""):
        return None
    if isinstance(hours, bool) or not isinstance(hours, int):
        return "The invitation delay (send_email_after) must be a whole number of hours."
    if not invitation_delay_allowed(hours):
        return (
            f"The invitation delay (send_email_after) must be between {SEND_EMAIL_AFTER_MIN} "
            f"and {SEND_EMAIL_AFTER_MAX} hours, not {hours}."
        )
    return None


def additional_fields_problem(fields: Any) -> str | None:
    # Empty values are left out of the request, whatever their type.
    if not fields or isinstance(fields, dict):
        return None
    return 'The additional fields must be a JSON object, for example {"Manual Score": 72}.'


def metadata_problem(metadata: Any) -> str | None:
    """Check the metadata object, whose own sendEmailAfter is sent when the field is not set."""
    if not metadata:
        return None
    if not isinstance(metadata, dict):
        return 'The metadata must be a JSON object, for example {"External ID": "c_1"}.'
    if SEND_EMAIL_AFTER_KEY not in metadata:
        return None
    hours = metadata[SEND_EMAIL_AFTER_KEY]
    if not invitation_delay_allowed(hours):
        return (
            "The sendEmailAfter in the metadata must be a number of hours from "
            f"{SEND_EMAIL_AFTER_MIN} to {SEND_EMAIL_AFTER_MAX}, not {json.dumps(hours)}."
        )
    return None


def shortlist_blocker(interviewer: Interviewer) -> str | None:
    """Say which Interviewer setting forbids the `shortlisted` status, if one does."""
    settings_on = [
        label
        for label, on in (
            ("Resume Screening", interviewer.resume_screening),
            ("Screening Questions", interviewer.screening_questions),
        )
        if on
    ]
    if not settings_on:
        return None
    return (
        f"“{interviewer.name}” has {' and '.join(settings_on)} turned on, so its candidates "
        "cannot be shortlisted: use draft, or turn the setting off in InterviewFlowAI "
        "and here."
    )


def status_problem(status: str, interviewer: Interviewer | None) -> str | None:
    """Check a candidate's status, a blank one standing for the Interviewer's default."""
    if status not in ("", SHORTLISTED, DRAFT):
        return f"The status must be shortlisted, draft or blank, not “{status}”."
    if interviewer is None:
        return None
    effective = status or interviewer.default_status
    if effective == SHORTLISTED and (blocker := shortlist_blocker(interviewer)):
        if not status:
            return f"A blank status means shortlisted for a public Interviewer. {blocker}"
        return blocker
    return None
