"""The event as one row under the spreadsheet import's own column names.

An ATS delivery then takes the import's path: the same checks, messages and rule that only
new and failed candidates change.
"""

from __future__ import annotations

from typing import Any

from ingestion.inbound.ats.readers import AtsEvent
from ingestion.models import AtsConnection, AtsRule
from recruiting.imports.columns import ADDITIONAL_PREFIX, METADATA_PREFIX

Kind = AtsConnection.Kind
ID_KEYS = {
    Kind.GREENHOUSE: ("Greenhouse candidate ID", "Greenhouse application ID"),
    Kind.ASHBY: ("Ashby candidate ID", "Ashby application ID"),
    Kind.WORKABLE: ("Workable candidate ID", ""),
    Kind.GENERIC: ("External ID", ""),
}


def event_row(*, event: AtsEvent, rule: AtsRule) -> tuple[list[str], list[Any]]:
    """The header and the one row of cells that make this event's candidate."""
    cells: dict[str, Any] = {
        "name": event.name,
        "email": event.email,
        "interviewer": str(rule.interviewer.external_id),
    }
    # Only what the rule sets: a blank would clear what a recruiter gave a draft.
    if rule.status:
        cells["status"] = rule.status
    if skills := [*rule.skills, *event.skills]:
        cells["skills"] = ", ".join(skills)
    if rule.send_email_after is not None:
        cells["send_email_after"] = rule.send_email_after
    cells |= {METADATA_PREFIX + key: value for key, value in _metadata(event).items()}
    cells |= {ADDITIONAL_PREFIX + key: value for key, value in event.additional.items()}
    return list(cells), list(cells.values())


def _metadata(event: AtsEvent) -> dict[str, Any]:
    """The sender's own metadata, then the phone and the ATS's ids, which it cannot hide."""
    candidate_key, application_key = ID_KEYS[event.kind]
    ids = {
        "Phone": event.phone,
        candidate_key: event.candidate_id,
        application_key: event.application_id,
    }
    found = {key.strip(): value for key, value in event.metadata.items() if key.strip()}
    return found | {key: value for key, value in ids.items() if key and value}
