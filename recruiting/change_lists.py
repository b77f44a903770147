"""Change lists that stay fast on large tables: counts with a ceiling, dates by probing.

Counting every row of a filtered list of a million requests costs more than showing the
page, and a staff member reading "10,000+ requests" learns what they need: narrow the list.
So a list counts exactly up to `COUNT_CEILING` rows and says "10,000+" beyond, and it never
counts the whole table a second time to offer "Show all" (an unfiltered list says nothing
of the kind). "Show counts" (Django's facets) counts each choice of a filter the same way:
up to the ceiling, all the choices of a filter in one query.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.contrib.admin.filters import FacetsMixin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal

COUNT_CEILING = 10_000


class CountAbove(int):
    """A count that stopped at the ceiling: compares as the ceiling, reads as "10,000+"."""

    def __str__(self) -> str:
        return f"{int(self):,}+"


def capped(count: int) -> int:
    return CountAbove(COUNT_CEILING) if count > COUNT_CEILING else count


class CeilingPaginator(Paginator):
    """Counts at most COUNT_CEILING + 1 rows: a bounded query however large the table."""

    @cached_property
    def count(self) -> int:
        return capped(self.object_list[: COUNT_CEILING + 1].count())


class CountedChangeList(ChangeList):
    """One bounded count per page; "Show all" only where a filter or a search narrowed it."""

    def get_queryset(self, request: Any, exclude_parameters: Any = None) -> QuerySet:
        queryset = super().get_queryset(request, exclude_parameters)
        if not queryset.query.distinct or queryset.query.distinct_fields:
            return queryset
        # A filter or search through a many-to-many relation made Django add DISTINCT over
        # every column, bodies included; a semi-join on the key finds the same rows.
        matching = queryset._chain()
        matching.query.distinct = False
        rows = self.root_queryset.filter(pk__in=matching.order_by().values("pk"))
        return self.apply_select_related(rows.order_by(*queryset.query.order_by))

    def get_filters(self, request: Any) -> Any:
        found = super().get_filters(request)
        uncounted = getattr(self.model_admin, "uncounted_filters", ())
        for spec in found[0]:
            if not isinstance(spec, FacetsMixin):
                continue
            # Django's facets count every row of the list once per choice; these stop at
            # the ceiling. Set on each filter, whatever its class, Django's or ours.
            if filter_name(spec) in uncounted:
                spec.get_facet_queryset = not_counted
            else:
                spec.get_facet_queryset = partial(capped_facets, spec)
        return found

    def get_ordering(self, request: Any, queryset: QuerySet) -> list:
        ordering = super().get_ordering(request, queryset)
        return indexed_ordering(ordering, getattr(self.model_admin, "sort_orders", {}))

    def get_results(self, request: Any) -> None:
        super().get_results(request)
        if isinstance(self.result_count, CountAbove):
            # How many there are is not known: no page could show them all.
            self.can_show_all = False
        if not self.has_active_filters and not self.query:
            # Nothing narrows the list: its count is the table's, so offer no "Show all".
            self.full_result_count = self.result_count


class CountedListMixin:
    """For a ModelAdmin: the change list and paginator above, and no count of the table.

    `sort_orders` maps a column's sort field to the columns of an index it sorts by
    instead, so that a page is read in index order rather than the whole table sorted.
    `uncounted_filters` names the filters "Show counts" leaves at "(-)": those no index
    serves, whose rarest choice would read the whole table however few rows it has.
    """

    paginator = CeilingPaginator
    show_full_result_count = False
    sort_orders: dict[str, tuple[str, ...]] = {}
    uncounted_filters: tuple[str, ...] = ()

    def get_changelist(self, request: Any, **kwargs: Any) -> type[ChangeList]:
        return CountedChangeList


def capped_facets(spec: FacetsMixin, changelist: ChangeList) -> dict[str, int]:
    """The counts "Show counts" gives a filter's choices, each up to the ceiling, one query."""
    rows = changelist.get_queryset(spec.request, exclude_parameters=spec.expected_parameters())
    counts = spec.get_facet_counts(changelist.pk_attname, rows)
    return capped_counts({key: _choice_rows(rows, count.filter) for key, count in counts.items()})


def filter_name(spec: FacetsMixin) -> str:
    """A filter as `uncounted_filters` names it: its field, or its parameter."""
    return getattr(spec, "field_path", None) or getattr(spec, "parameter_name", "")


def not_counted(changelist: ChangeList) -> dict[str, str]:
    return defaultdict(lambda: "-")  # every choice reads "(-)", as Django writes it


def _choice_rows(rows: QuerySet, condition: Q) -> QuerySet:
    # A SimpleListFilter's choice is "pk in (its queryset of these rows)": count that itself.
    match condition.children:
        case [("pk__in", QuerySet() as chosen)]:
            return chosen
    return rows.filter(condition)


def capped_counts(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """How many rows each queryset has, up to the ceiling, all in one query."""
    if not querysets:
        return {}
    database = next(iter(querysets.values())).db
    selects, params = [], []
    for n, queryset in enumerate(querysets.values()):
        bounded = queryset.order_by().values("pk")[: COUNT_CEILING + 1]
        sql, values = bounded.query.get_compiler(using=database).as_sql()
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{n})")
        params.extend(values)
    with connections[database].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        found = cursor.fetchone()
    return {key: capped(count) for key, count in zip(querysets, found, strict=True)}


def indexed_ordering(ordering: list, sort_orders: dict[str, tuple[str, ...]]) -> list:
    """The ordering with each field of `sort_orders` replaced by its index's columns.

    The index's columns end with a unique key, so they order every row: what followed
    them (Django's "-pk" among it) could change nothing and is left out.
    """
    result = []
    for part in ordering:
        name = part.lstrip("-") if isinstance(part, str) else None
        if name not in sort_orders:
            result.append(part)
            continue
        sign = "-" if part.startswith("-") else ""
        result += [f"{sign}{column}" for column in sort_orders[name]]
        break
    return result


def search_terms(search_term: str) -> list[str]:
    """The words of a search, as Django's admin reads them: "quoted phrases" stay whole."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            terms.append(bit)
    return terms


class DateBuckets:
    """What the admin's date hierarchy reads of a queryset, without a scan of every row.

    Django lists the years, months or days that have rows with a DISTINCT over a date
    function of every row. Here, for a list narrowed to fewer than COUNT_CEILING rows, one
    query reads their times; for a longer one, the candidate periods come from the first
    and the last time (read from the field's index) and one query asks, for each, whether
    a row exists in its range.
    """

    def __init__(self, queryset: QuerySet, field: str, *, rows: int) -> None:
        self.queryset = queryset
        self.field = field
        self.few = rows < COUNT_CEILING

    @cached_property
    def moments(self) -> list[datetime]:
        return list(self.queryset.order_by().values_list(self.field, flat=True))

    def aggregate(self, **aggregates: Any) -> dict[str, Any]:
        return self.bounds  # Django's date hierarchy asks only for MIN and MAX of the field

    @cached_property
    def bounds(self) -> dict[str, Any]:
        if self.few:
            moments = self.moments
            return {"first": min(moments, default=None), "last": max(moments, default=None)}
        # Two reads of one end of the index each: SQLite answers MIN and MAX together by
        # reading the whole index.
        moments = self.queryset.values_list(self.field, flat=True)
        return {
            "first": moments.order_by(self.field).first(),
            "last": moments.order_by(f"-{self.field}").first(),
        }

    def datetimes(self, field: str, kind: str) -> list[datetime]:
        if self.few:
            return sorted({_truncated(moment, kind) for moment in self.moments})
        bounds = self.bounds
        if bounds["first"] is None:
            return []
        starts = periods(bounds["first"], bounds["last"], kind)
        ends = [*starts[1:], None]
        probes = {
            f"p{n}": Exists(self._within(start, end))
            for n, (start, end) in enumerate(zip(starts, ends, strict=True))
        }
        table = self.queryset.model._default_manager.order_by("pk")
        (found,) = table.annotate(**probes).values_list(*probes)[:1]
        return [start for start, exists in zip(starts, found, strict=True) if exists]

    dates = datetimes

    def _within(self, start: datetime, end: datetime | None) -> QuerySet:
        within = self.queryset.filter(**{f"{self.field}__gte": start})
        return within.filter(**{f"{self.field}__lt": end}) if end else within


def periods(first: datetime, last: datetime, kind: str) -> list[datetime]:
    """The local starts of each year, month or day from `first` to `last`."""
    first, last = timezone.localtime(first), timezone.localtime(last)
    start = _truncated(first, kind)
    starts = []
    while start <= last:
        starts.append(start)
        start = _next(start, kind)
    return starts


def _truncated(moment: datetime, kind: str) -> datetime:
    day = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    if kind == "year":
        day = day.replace(month=1, day=1)
    elif kind == "month":
        day = day.replace(day=1)
    return timezone.make_aware(day)


def _next(start: datetime, kind: str) -> datetime:
    naive = start.replace(tzinfo=None)
    if kind == "year":
        naive = naive.replace(year=naive.year + 1)
    elif kind == "month":
        naive = naive.replace(year=naive.year + naive.month // 12, month=naive.month % 12 + 1)
    else:
        naive += timedelta(days=1)
    # Midnight local time, whatever daylight saving did in between.
    return timezone.make_aware(naive)
