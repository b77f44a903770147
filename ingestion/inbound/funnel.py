"""How far the candidates of each Interviewer got: sent, started, completed, report ready."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from recruiting.models import Candidate, Interviewer

Step = Candidate.InterviewStatus
FUNNEL_ROWS = 20
# Each step counts the candidates at it or beyond.
REACHED = {
    "started": [Step.STARTED, Step.IN_PROGRESS, Step.COMPLETED, Step.REPORT_AVAILABLE],
    "completed": [Step.COMPLETED, Step.REPORT_AVAILABLE],
    "report": [Step.REPORT_AVAILABLE],
}


@dataclass(frozen=True)
class FunnelRow:
    interviewer: Interviewer
    sent: int
    started: int
    completed: int
    report: int

    def share(self, count: int) -> int:
        """A step as a whole percentage of the candidates sent."""
        return round(100 * count / self.sent) if self.sent else 0

    @property
    def steps(self) -> list[tuple[str, int, int]]:
        """(name, count, percent of sent) for each step after sending."""
        return [
            (name, count, self.share(count))
            for name, count in (
                ("Started", self.started),
                ("Completed", self.completed),
                ("Report", self.report),
            )
        ]


def interview_funnel(*, limit: int = FUNNEL_ROWS) -> list[FunnelRow]:
    """The Interviewers with most candidates sent, each with its funnel, in one query."""
    sent = Q(candidates__state=Candidate.State.SENT)
    counts = {
        name: Count("candidates", filter=sent & Q(candidates__interview_status__in=steps))
        for name, steps in REACHED.items()
    }
    interviewers = (
        Interviewer.objects.annotate(sent=Count("candidates", filter=sent), **counts)
        .filter(sent__gt=0)
        .order_by("-sent", "name")[:limit]
    )
    return [
        FunnelRow(i, sent=i.sent, started=i.started, completed=i.completed, report=i.report)
        for i in interviewers
    ]
