"""Domain rules shared by model validation, imports and the last check before sending.

Each function returns a message a recruiter can act on, or None when the value is fine.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

SEND_EMAIL_AFTER_MIN = 1
SEND_EMAIL_AFTER_MAX = 96
# The metadata key InterviewFlowAI reads the invitation delay from.
SEND_EMAIL_AFTER_KEY = "sendEmailAfter"
SHORTLISTED = "shortlisted"
DRAFT = "draft"
SKILL_SEPARATORS = re.compile(r"[,;|\n]")
SKILLS_HELP = "Separate skills with commas, semicolons or |: python, aws."
# What the database holds: the same on SQLite, which would store more, and PostgreSQL.
NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
SKILL_MAX_LENGTH = 100
# Unicode's control characters (category Cc) are exactly these two ranges.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
CONTROL = "a control character (a NUL byte, a tab or a line break, say)"


class Interviewer(Protocol):
    """What the rules read of an Interviewer (the model, without importing it)."""

    name: str
    active: bool
    resume_screening: bool
    screening_questions: bool

    @property
    def default_status(self) -> str: ...


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def _visible(text: str) -> bool:
    """Letters, digits, punctuation or symbols: not only spaces and invisible marks."""
    return any(unicodedata.category(char)[0] in "LNPS" for char in text)


def name_problem(name: str) -> str | None:
    name = (name or "").strip()
    if not name or not _visible(name):
        return "The name is blank: InterviewFlowAI rejects candidates without a name."
    if has_control_character(name):
        return f"The name holds {CONTROL}: remove it."
    if len(name) > NAME_MAX_LENGTH:
        return f"The name is {len(name):,} characters long; at most {NAME_MAX_LENGTH} fit."
    return None


class _EmailValidator(EmailValidator):
    """Django's check of an address, each domain's verdict remembered.

    The domain's pattern is most of the check's time, and a push checks thousands of
    addresses again as it sends them, at a few domains.
    """

    def validate_domain_part(self, domain_part: str) -> bool:
        return _domain_valid(domain_part)


_domain_valid = lru_cache(maxsize=4096)(EmailValidator().validate_domain_part)
validate_email = _EmailValidator()


def email_problem(email: str) -> str | None:
    if not (email or "").strip():
        return "The email address is blank."
    if has_control_character(email.strip()):
        return f"The email address holds {CONTROL}: remove it."
    if len(email.strip()) > EMAIL_MAX_LENGTH:
        return (
            f"The email address is {len(email.strip()):,} characters long; at most "
            f"{EMAIL_MAX_LENGTH} fit."
        )
    try:
        validate_email(normalise_email(email))
    except ValidationError:
        local = email.strip().rpartition("@")[0]
        if not local.isascii():
            return (
                f"“{email}” is not a valid email address: letters with accents or other "
                "non-ASCII characters are not accepted before the @."
            )
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
        if has_control_character(skill) or len(skill) > SKILL_MAX_LENGTH:
            return (
                f"The skill “{skill[:40]}” is too long or holds {CONTROL}: skills are words "
                f"of up to {SKILL_MAX_LENGTH} characters."
            )
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
    return _object_problem(fields, "The additional fields", '{"Manual Score": 72}')


def _object_problem(value: Any, what: str, example: str) -> str | None:
    """A JSON object InterviewFlowAI and the database accept; empty ones are left out."""
    if not value:
        return None
    if not isinstance(value, dict):
        return f"{what} must be a JSON object, for example {example}."
    if _holds_nul(value):
        return f"{what} hold a NUL character: remove it."
    return None


def _holds_nul(value: Any) -> bool:
    """A NUL anywhere in a JSON value, keys included: PostgreSQL cannot store one."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def metadata_problem(metadata: Any) -> str | None:
    """Check the metadata object, whose own sendEmailAfter is sent when the field is not set."""
    if problem := _object_problem(metadata, "The metadata", '{"External ID": "c_1"}'):
        return problem
    if not metadata or SEND_EMAIL_AFTER_KEY not in metadata:
        return None
    hours = metadata[SEND_EMAIL_AFTER_KEY]
    if not invitation_delay_allowed(hours):
        return (
            "The sendEmailAfter in the metadata must be a number of hours from "
            f"{SEND_EMAIL_AFTER_MIN} to {SEND_EMAIL_AFTER_MAX}, not {json.dumps(hours)}."
        )
    return None


def delay_conflict_problem(send_email_after: Any, metadata: Any) -> str | None:
    """Both the field and the metadata set an invitation delay, and they disagree."""
    if send_email_after in (None, "") or not isinstance(metadata, dict):
        return None
    own = metadata.get(SEND_EMAIL_AFTER_KEY)
    if own is None or own == send_email_after:
        return None
    return (
        f"The invitation delay is {send_email_after} hours, but the metadata's sendEmailAfter "
        f"says {json.dumps(own)}: keep one of the two."
    )


def interviewer_problem(interviewer: Interviewer) -> str | None:
    """An Interviewer that receives no candidates at all, said so."""
    return None if interviewer.active else f"The Interviewer “{interviewer.name}” is inactive."


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
