"""The first of a connection's rules whose job and stage the event meets."""

from __future__ import annotations

from ingestion.inbound.ats.readers import AtsEvent
from ingestion.models import AtsConnection, AtsRule


def rule_for(*, connection: AtsConnection, event: AtsEvent) -> AtsRule | None:
    """Rules are tried in their order; blank matches anything, else an id or a name."""
    for rule in connection.rules.select_related("interviewer"):
        if _meets(rule.job, event.job_id, event.job_name) and _meets(
            rule.stage, event.stage_id, event.stage_name
        ):
            return rule
    return None


def _meets(wanted: str, given_id: str, given_name: str) -> bool:
    wanted = wanted.strip()
    if not wanted:
        return True
    return wanted == given_id or wanted.casefold() == given_name.casefold()
