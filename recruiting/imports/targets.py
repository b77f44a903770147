"""What a column can be imported as: the import's own header syntax, and its words."""

from __future__ import annotations

FIELD_COLUMNS = ("name", "email", "interviewer", "status", "skills", "send_email_after")
NAME_PARTS = ("first_name", "last_name")  # joined into the name when the file has none
ADDITIONAL_PREFIX = "additional:"
METADATA_PREFIX = "metadata:"
IGNORE = "ignore"
KEY_MAX_LENGTH = 100
# The targets a recruiter chooses from, in the order the mapping step offers them.
CHOICES = (
    ("name", "name"),
    ("first_name", "first name"),
    ("last_name", "last name"),
    ("email", "email"),
    ("status", "status"),
    ("skills", "skills"),
    ("interviewer", "interviewer"),
    ("send_email_after", "send_email_after"),
    (ADDITIONAL_PREFIX, "additional field, as:"),
    (METADATA_PREFIX, "metadata, as:"),
    (IGNORE, "ignore"),
)
KEYED = (ADDITIONAL_PREFIX, METADATA_PREFIX)
PLAIN_TARGETS = frozenset(value for value, _label in CHOICES if value not in KEYED)


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
