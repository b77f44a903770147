"""Changes staff make to many candidate drafts at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction

from recruiting import rules
from recruiting.models import Candidate


class SkillsMode(StrEnum):
    REPLACE = "replace"
    ADD = "add"
    REMOVE = "remove"


@dataclass
class EditResult:
    updated: int = 0
    locked: list[Candidate] = field(default_factory=list)  # on their way or sent
    refused: list[tuple[Candidate, str]] = field(default_factory=list)


def candidates_set_status(*, candidate_ids: Iterable[int], status: str) -> EditResult:
    """Set the status of drafts not yet sent; refuse it where the Interviewer forbids it."""
    result = EditResult()
    with transaction.atomic():
        for candidate in _editable(candidate_ids, result):
            if problem := rules.status_problem(status, candidate.interviewer):
                result.refused.append((candidate, problem))
                continue
            if candidate.status != status:
                candidate.status = status
                candidate.save(update_fields=["status", "updated_at"])
            result.updated += 1
    return result


def candidates_set_skills(
    *, candidate_ids: Iterable[int], skills: list[str], mode: SkillsMode
) -> EditResult:
    """Replace, add to or remove from the skills of drafts not yet sent."""
    skills = rules.clean_skills(skills)
    removed = {skill.lower() for skill in skills}
    result = EditResult()
    with transaction.atomic():
        for candidate in _editable(candidate_ids, result):
            current = list(candidate.skills or [])
            match mode:
                case SkillsMode.REPLACE:
                    new = skills
                case SkillsMode.ADD:
                    new = rules.clean_skills(current + skills)
                case SkillsMode.REMOVE:
                    new = [skill for skill in current if skill.lower() not in removed]
            if new != current:
                candidate.skills = new
                candidate.save(update_fields=["skills", "updated_at"])
            result.updated += 1
    return result


def _editable(candidate_ids: Iterable[int], result: EditResult) -> list[Candidate]:
    candidates = list(
        Candidate.objects.select_for_update(of=("self",))
        .filter(pk__in=list(candidate_ids))
        .select_related("interviewer")
        .order_by("pk")  # rows locked in one order everywhere: no deadlock
    )
    editable = [c for c in candidates if c.state in Candidate.EDITABLE_STATES]
    result.locked = [c for c in candidates if c.state not in Candidate.EDITABLE_STATES]
    return editable
