"""The figures on the admin index: candidates per state, recent deliveries, failures, health."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Case, Count, Min, Sum, Value, When
from django.urls import reverse
from django.utils import timezone

from ingestion.client import Outcome
from ingestion.messages import request_problem
from ingestion.models import DeliveryStatus, IngestionRequest
from recruiting.models import Candidate

CHART_DAYS = 14
# The counts over whole tables (at a million rows, some 50 ms each) are kept this long once
# a table holds more than KEEP_FROM_ROWS rows: a dashboard visited again soon, or by several
# of the staff, counts them once, and the page says when. Smaller tables are counted afresh
# at each visit, as fast, so that what just happened always shows.
COUNTS_KEPT_SECONDS = 30
KEEP_FROM_ROWS = 10_000
Counted = TypeVar("Counted")
FAILURES_SHOWN = 8
# Queued candidates this late have been missed by the workers and the periodic sweep.
OVERDUE_AFTER = timedelta(minutes=5)
# Each request outcome counts its candidates in one series of the chart.
SERIES = {
    Outcome.ACCEPTED: "sent",
    Outcome.RETRY: "failed",
    Outcome.REJECTED: "failed",
    Outcome.UNKNOWN: "unconfirmed",
}


@dataclass
class StateCount:
    state: str
    label: str
    count: int
    url: str


@dataclass
class DayDeliveries:
    day: date
    sent: int = 0
    failed: int = 0
    unconfirmed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "sent": self.sent,
            "failed": self.failed,
            "unconfirmed": self.unconfirmed,
        }


@dataclass
class Failure:
    request: IngestionRequest
    message: str


@dataclass
class Health:
    status: DeliveryStatus
    overdue: int
    oldest_overdue_at: datetime | None

    @property
    def failing(self) -> bool:
        """The last answer was a failure, with no success since."""
        last_failure, last_success = self.status.last_failure_at, self.status.last_success_at
        return last_failure is not None and (last_success is None or last_failure > last_success)


@dataclass
class Dashboard:
    """The figures one user may see; a section they have no permission for is None."""

    health: Health
    states: list[StateCount] | None = None
    days: list[DayDeliveries] | None = None
    failures: list[Failure] | None = None
    counted_at: datetime | None = None  # when the counts shown were counted

    @property
    def candidate_total(self) -> int:
        return sum(state.count for state in self.states or [])

    @property
    def chart_data(self) -> list[dict[str, Any]]:
        return [day.as_dict() for day in self.days or []]

    @property
    def delivered_total(self) -> int:
        return sum(day.sent + day.failed + day.unconfirmed for day in self.days or [])


def dashboard_figures(
    *, user: Any, now: datetime | None = None, days: int = CHART_DAYS
) -> Dashboard:
    """The dashboard for this user, each figure from one aggregate query."""
    now = now or timezone.now()
    dashboard = Dashboard(health=delivery_health(now=now))
    if user.has_perm("recruiting.view_candidate"):
        dashboard.states, dashboard.counted_at = recently_counted("states", candidates_per_state)
    if user.has_perm("ingestion.view_ingestionrequest"):
        dashboard.days, counted_at = recently_counted(
            f"days:{days}", lambda: deliveries_per_day(now=now, days=days)
        )
        dashboard.counted_at = min(filter(None, [dashboard.counted_at, counted_at]), default=None)
        dashboard.failures = latest_failures()
    return dashboard


def recently_counted(name: str, count: Callable[[], Counted]) -> tuple[Counted, datetime | None]:
    """What `count` gives, and when it was counted if it is kept (large tables, above)."""
    key = f"dashboard:{name}"
    if (kept := cache.get(key)) is not None:
        return kept
    if not _large_tables():
        return count(), None
    kept = (count(), timezone.now())
    cache.set(key, kept, COUNTS_KEPT_SECONDS)
    return kept


def _large_tables() -> bool:
    """Whether the candidates or the history hold more than KEEP_FROM_ROWS rows (two short
    reads of their keys' indexes)."""
    return any(
        model.objects.order_by("pk")[KEEP_FROM_ROWS : KEEP_FROM_ROWS + 1].exists()
        for model in (Candidate, IngestionRequest)
    )


def candidates_per_state() -> list[StateCount]:
    counts = dict(Candidate.objects.order_by().values_list("state").annotate(count=Count("pk")))
    url = reverse("admin:recruiting_candidate_changelist")
    return [
        StateCount(state, label, counts.get(state, 0), f"{url}?state__exact={state}")
        for state, label in Candidate.State.choices
    ]


def deliveries_per_day(*, now: datetime, days: int = CHART_DAYS) -> list[DayDeliveries]:
    """Candidates carried by the requests of each of the last `days` days, by outcome.

    Each request's day is found by comparing its time with the days' local midnights, in
    the database: no date function runs on every row, and the rows are read from the index
    on the time.
    """
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    result = [DayDeliveries(first + timedelta(days=n)) for n in range(days)]
    midnights = [timezone.make_aware(datetime.combine(day.day, time.min)) for day in result]
    day_number = Case(
        *(When(started_at__lt=midnight, then=Value(n)) for n, midnight in enumerate(midnights[1:])),
        default=Value(days - 1),
    )
    rows = (
        IngestionRequest.objects.filter(started_at__gte=midnights[0])
        .annotate(day_number=day_number)
        .order_by()
        .values("day_number", "outcome")
        .annotate(candidates=Sum("candidate_count"))
    )
    for row in rows:
        if row["outcome"] in SERIES:
            day, series = result[row["day_number"]], SERIES[row["outcome"]]
            setattr(day, series, getattr(day, series) + (row["candidates"] or 0))
    return result


def latest_failures(limit: int = FAILURES_SHOWN) -> list[Failure]:
    requests = IngestionRequest.objects.exclude(outcome=Outcome.ACCEPTED).select_related(
        "interviewer"
    )[:limit]
    return [Failure(request, request_problem(request)) for request in requests]


def delivery_health(*, now: datetime) -> Health:
    overdue = Candidate.objects.filter(
        state=Candidate.State.QUEUED, next_attempt_at__lt=now - OVERDUE_AFTER
    ).aggregate(count=Count("pk"), oldest=Min("next_attempt_at"))
    return Health(
        status=DeliveryStatus.current(),
        overdue=overdue["count"],
        oldest_overdue_at=overdue["oldest"],
    )
