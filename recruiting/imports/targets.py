"""What a column can be imported as: the import's own header syntax, and its words."""

from __future__ import annotations

FIELD_COLUMNS = ("name", "email", "interviewer", "status", "skills", "send_email_after")
NAME_PARTS = ("first_name", "last_name")  # joined into the name when the file has none
ADDITIONAL_PREFIX = "additional:"
METADATA_PREFIX = "metadata:"
IGNORE = "ignore"
KEY_MAX_LENGTH = 100
# What a column can be imported as, in the order the mapping step offers them, each with
# the few words that say it to a recruiter.
TARGETS = (
    ("name", "the full name"),
    ("first_name", "first name, joined into the name"),
    ("last_name", "last name, joined into the name"),
    ("email", "the email address"),
    ("status", "shortlisted, draft, or blank for the Interviewer's default"),
    ("skills", "skills, separated by commas"),
    ("interviewer", "the Interviewer's id or name"),
    ("send_email_after", "hours, 1 to 96, to wait before the invitation email"),
    (ADDITIONAL_PREFIX, "an additional field under that key"),
    (METADATA_PREFIX, "metadata under that key"),
    (IGNORE, "not imported"),
)
KEYED = (ADDITIONAL_PREFIX, METADATA_PREFIX)
PLAIN_TARGETS = frozenset(value for value, _words in TARGETS if value not in KEYED)


def target_code(target: str) -> str:
    """A target as a header or a saved mapping writes it: `additional:Key` for a keyed one."""
    return f"{target}Key" if target in KEYED else target


CHOICES = tuple((value, f"{target_code(value)} ({words})") for value, words in TARGETS)
TARGET_WORDS = tuple((target_code(value), words) for value, words in TARGETS)


def keyed(target: str) -> tuple[str, str]:
    """A target split into its kind and key: ("metadata:", "Phone"), or (target, "")."""
    for prefix in KEYED:
        if target.lower().startswith(prefix):
            return prefix, target[len(prefix) :].strip()
    return target, ""


def target_problem(target: str) -> str | None:
    """Why a target cannot be imported into, in words; None when it can."""
    kind, key = keyed(target)
    if kind in PLAIN_TARGETS:
        return None
    if kind not in KEYED:
        return f"“{target}” is not something a column can be imported as."
    if not key:
        return "Give the key the column is kept under, for example “Phone”."
    if len(key) > KEY_MAX_LENGTH:
        return f"A key is at most {KEY_MAX_LENGTH} characters long."
    return None
