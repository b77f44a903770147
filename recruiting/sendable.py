"""What a candidate sends and what InterviewFlowAI would refuse, read from its fields.

Shared by the model and by the plain rows a push loads for the candidates it claimed
(`ingestion.delivery.claims.ClaimedCandidate`): a push reads a thousand candidates at a
time and only reads them, and building a Django model for each cost more than their checks.
Whatever holds these attributes gets the same answers.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from recruiting import rules


class Sendable:
    """The sending side of a candidate, read from its `name`, `email`, `status`, `skills`,
    `send_email_after`, `send_at`, `additional_fields`, `metadata` and `interviewer`."""

    __slots__ = ()

    @property
    def effective_status(self) -> str:
        return self.status or self.interviewer.default_status

    @property
    def effective_skills(self) -> list[str]:
        return list(self.skills or self.interviewer.skills or [])

    def hold_until(self, now: datetime) -> datetime:
        """When to send: now, or later when the invitation is further off than the API delays."""
        if self.send_at is None:
            return now
        return max(now, self.send_at - timedelta(hours=rules.SEND_EMAIL_AFTER_MAX))

    def invitation_delay(self, now: datetime) -> int | None:
        """Hours InterviewFlowAI should wait before inviting, counted from `now`."""
        if self.send_at is None:
            return self.send_email_after
        hours = math.ceil((self.send_at - now).total_seconds() / 3600)
        if hours < rules.SEND_EMAIL_AFTER_MIN:
            return None
        return min(hours, rules.SEND_EMAIL_AFTER_MAX)

    def problems(self) -> list[str]:
        """Everything that would make InterviewFlowAI reject this candidate, in words."""
        checks = [
            rules.name_problem(self.name),
            rules.email_problem(self.email),
            rules.status_problem(self.status, self.interviewer),
            rules.skills_problem(self.skills),
            rules.send_email_after_problem(self.send_email_after),
            rules.additional_fields_problem(self.additional_fields),
            rules.metadata_problem(self.metadata),
            rules.delay_conflict_problem(self.send_email_after, self.metadata),
            rules.interviewer_problem(self.interviewer),
        ]
        return [problem for problem in checks if problem]
