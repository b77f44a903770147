"""How far the candidates of each Interviewer got: sent, started, completed, report ready."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from ingestion.delivery.dashboard import recently_counted
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

    def url(self, step: str = "") -> str:
        """The candidate list of those counted: the sent ones, at `step` or beyond."""
        query = {
            "interviewer__id__exact": self.interviewer.pk,
            "state__exact": Candidate.State.SENT,
        }
        if step:
            query["interview_status__in"] = ",".join(REACHED[step])
        return f"{reverse('admin:recruiting_candidate_changelist')}?{urlencode(query)}"

    @property
    def sent_url(self) -> str:
        return self.url()

    @property
    def steps(self) -> list[tuple[str, int, int, str]]:
        """(name, count, percent of sent, list of them) for each step after sending."""
        return [
            (name.capitalize(), count, self.share(count), self.url(name))
            for name, count in (
                ("started", self.started),
                ("completed", self.completed),
                ("report", self.report),
            )
        ]


def interview_funnel(*, limit: int = FUNNEL_ROWS) -> list[FunnelRow]:
    """The Interviewers with most candidates sent, each with its funnel, as lately counted."""
    return recently_counted(f"funnel:{limit}", lambda: _funnel(limit))[0]


def _funnel(limit: int) -> list[FunnelRow]:
    """The funnel counted: one query over the sent candidates."""
    counts = {
        name: Count("candidates", filter=Q(candidates__interview_status__in=steps))
        for name, steps in REACHED.items()
    }
    # Sent candidates only, in the join itself (an annotation after a filter counts the
    # rows it kept): the others are never read, where a filter inside each count read all.
    interviewers = (
        Interviewer.objects.filter(candidates__state=Candidate.State.SENT)
        .annotate(sent=Count("candidates"), **counts)
        .order_by("-sent", "name")[:limit]
    )
    return [
        FunnelRow(i, sent=i.sent, started=i.started, completed=i.completed, report=i.report)
        for i in interviewers
    ]
