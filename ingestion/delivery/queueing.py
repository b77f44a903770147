"""Asking for delivery: mark candidates queued, and remember which ones a push queued."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, Value, When
from django.utils import timezone

from ingestion.delivery.report import left_out_lines
from ingestion.delivery.results import LeftOut, QueueResult
from ingestion.models import PushBatch, Trigger
from recruiting import rules
from recruiting.models import Candidate, Interviewer
from recruiting.wording import NAMES_SHOWN

State = Candidate.State
LINK_CHUNK = 1000
# Invitations further off than the API can delay wait here until this long before them.
API_DELAY_MAX = timedelta(hours=rules.SEND_EMAIL_AFTER_MAX)


@dataclass(frozen=True)
class Intent:
    """Why candidates are queued: a plain push, a resend staff asked for, or a new time.

    A resend also takes sent and unconfirmed candidates; `seen_at` is when staff saw the
    ones they chose, so that one delivered since then (a second click on the same page)
    is not sent again. A reschedule gives each candidate `send_at` as its invitation time
    (None: as soon as sent), including one already held for a time.
    """

    resend: bool = False
    seen_at: datetime | None = None
    reschedule: bool = False
    send_at: datetime | None = None

    @classmethod
    def push(cls) -> Intent:
        return cls()

    @classmethod
    def resend_of(cls, *, seen_at: datetime | None = None) -> Intent:
        return cls(resend=True, seen_at=seen_at)

    @classmethod
    def schedule(cls, *, send_at: datetime | None) -> Intent:
        return cls(reschedule=True, send_at=send_at)

    @property
    def states(self) -> set[str]:
        if self.resend:
            # Sending again is for what was sent or tried: a new draft takes a plain push.
            return {State.FAILED, State.SENT, State.UNCONFIRMED}
        # What staff may still edit is what a plain push may send.
        states = set(Candidate.EDITABLE_STATES)
        if self.reschedule:
            states.add(State.QUEUED)
        return states

    def queueable(self) -> Q:
        """The candidates this intent may queue, as a condition the database checks."""
        allowed = Q(state__in=self.states)
        if self.seen_at:
            # Delivered since staff saw it: a second click on the same page sends nothing.
            allowed &= ~Q(state=State.SENT, updated_at__gt=self.seen_at)
        return allowed

    def first_attempt(self, now: datetime) -> Any:
        """When to send: now, or 96 hours before an invitation time further off than that."""
        if self.reschedule:
            send_at = self.send_at
            return Value(now if send_at is None else max(now, send_at - API_DELAY_MAX))
        return Case(
            When(send_at__gt=now + API_DELAY_MAX, then=F("send_at") - Value(API_DELAY_MAX)),
            default=Value(now),
            output_field=DateTimeField(),
        )

    def changes(self, *, user: Any, now: datetime) -> dict[str, Any]:
        # Each request to send starts a fresh retry schedule, or a candidate that once failed
        # would give up at its first definite failure.
        changes: dict[str, Any] = {
            "state": State.QUEUED,
            "next_attempt_at": self.first_attempt(now),
            "last_error": "",
            "attempts": 0,
            "updated_at": now,
        }
        if self.resend:
            # A fresh attempt: what an earlier walk of the Fetch API said no longer holds.
            changes |= {
                "resend_requested_by": user,
                "resend_requested_at": now,
                "not_found_at": None,
                "confirmed_at": None,
            }
        if self.reschedule:
            changes["send_at"] = self.send_at
        return changes


def candidates_queue(
    *,
    candidate_ids: Iterable[int] | QuerySet[Candidate],
    intent: Intent | None = None,
    user: Any = None,
    trigger: str = Trigger.ADMIN,
    now: datetime | None = None,
    kept: PushBatch | None = None,
) -> QueueResult:
    """Mark the candidates the intent may send as queued; say why the others were not.

    Set-based whatever the size of the selection (ids, or a queryset read as a subquery):
    conditional UPDATEs and counts in the database, and a few candidates read to name them.
    Those queued are remembered as one push (`result.batch`), for its progress page and the
    workers that send it: a new one, or the `kept` push whose members are the selection
    (`push_select`). The Interviewers' rules are checked here, as their settings may have
    changed since their candidates were written; every rule is checked again just before
    sending.
    """
    intent = intent or Intent.push()
    now = now or timezone.now()
    selection = _selection(candidate_ids)
    result = QueueResult(resend=intent.resend)
    with transaction.atomic():
        result.skipped = _by_state(selection.exclude(intent.queueable()))
        queueable = selection.filter(intent.queueable())
        for reason, refused in interviewer_refusals(queueable).items():
            if (left := left_out(refused)).count:
                result.invalid[reason] = left
                refused.update(last_error=reason)
                queueable = queueable.exclude(pk__in=refused.values("pk"))
        if kept is None:
            batch, members = _new_push(queueable, user=user, trigger=trigger), None
        else:
            batch, members = kept, queueable  # of the kept members, only those not refused
        result.batch = _queue(batch, intent, members=members, user=user, now=now)
    if result.batch:
        result.queued = result.batch.candidate_count
        result.held = result.candidates().filter(next_attempt_at__gt=now).count()
    return result


def push_select(candidates: QuerySet[Candidate], *, user: Any, trigger: str) -> PushBatch:
    """Keep a selection as a push to queue in the background: its members, nothing changed."""
    with transaction.atomic():
        batch = _new_push(_selection(candidates), user=user, trigger=trigger, queueing=True)
        batch.save(update_fields=["candidate_count"])
    return batch


def push_queue_kept(push_batch_id: int) -> QueueResult:
    """Queue the candidates a kept push holds, as `candidates_queue` queues any selection.

    Once only, however often it is asked (a task delivered twice, the sweep): the push's
    row is locked meanwhile, and one already queued is left as it is.
    """
    with transaction.atomic():
        batch = PushBatch.objects.select_for_update().get(pk=push_batch_id)
        if not batch.queueing:
            return QueueResult(batch=batch)
        result = candidates_queue(
            candidate_ids=Candidate.objects.filter(push_batches=batch),
            user=batch.user,
            trigger=batch.trigger,
            kept=batch,
        )
        batch.left_out = left_out_lines(result)
        batch.save(update_fields=["left_out"])
    return result


def pushes_left_queueing(*, older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Kept pushes whose queueing never ran (a lost task, a broker down): for the sweep."""
    stale = PushBatch.objects.filter(queueing=True, created_at__lt=timezone.now() - older_than)
    return list(stale.values_list("pk", flat=True))


def _selection(candidate_ids: Iterable[int] | QuerySet[Candidate]) -> QuerySet[Candidate]:
    if isinstance(candidate_ids, QuerySet):
        return Candidate.objects.filter(pk__in=candidate_ids.order_by().values("pk"))
    return Candidate.objects.filter(pk__in=list(candidate_ids))


def interviewer_refusals(candidates: QuerySet[Candidate]) -> dict[str, QuerySet[Candidate]]:
    """The candidates their Interviewer refuses as it is set now, by reason in words."""
    refusals: dict[str, QuerySet[Candidate]] = {}
    strict = Q(active=False) | Q(resume_screening=True) | Q(screening_questions=True)
    for interviewer in Interviewer.objects.filter(
        strict, pk__in=candidates.values("interviewer_id")
    ):
        theirs = candidates.filter(interviewer=interviewer)
        if problem := rules.interviewer_problem(interviewer):
            found = [(problem, theirs)]
        else:
            found = [
                (problem, theirs.filter(status=status))
                for status in ("", Candidate.Status.SHORTLISTED)
                if (problem := rules.status_problem(status, interviewer))
            ]
        for reason, refused in found:
            refusals[reason] = refusals[reason] | refused if reason in refusals else refused
    return refusals


def left_out(candidates: QuerySet[Candidate]) -> LeftOut:
    return LeftOut(count=candidates.count(), examples=list(candidates[:NAMES_SHOWN]))


def _by_state(candidates: QuerySet[Candidate]) -> dict[str, LeftOut]:
    counts = candidates.order_by().values_list("state").annotate(count=Count("pk"))
    return {
        state: LeftOut(count=count, examples=list(candidates.filter(state=state)[:NAMES_SHOWN]))
        for state, count in counts
    }


def _new_push(
    candidates: QuerySet[Candidate], *, user: Any, trigger: str, queueing: bool = False
) -> PushBatch:
    batch = PushBatch.objects.create(trigger=trigger, user=_staff(user), queueing=queueing)
    batch.candidate_count = _links_insert(batch, candidates)
    return batch


def _queue(
    batch: PushBatch,
    intent: Intent,
    *,
    members: QuerySet[Candidate] | None,
    user: Any,
    now: datetime,
) -> PushBatch | None:
    """Queue the push's members (or these of them) the intent may still send; None when
    none could be. A kept push is kept even so, its progress page saying why none were."""
    linked, kept = batch.candidate_count, batch.queueing
    theirs = (Candidate.objects if members is None else members).filter(push_batches=batch)
    # Conditional: a candidate another request queued meanwhile is not queued twice.
    queued = theirs.filter(intent.queueable()).update(**intent.changes(user=user, now=now))
    if not queued and not kept:
        batch.delete()
        return None
    if queued != linked:
        PushBatch.candidates.through.objects.filter(pushbatch=batch).exclude(
            candidate__state=State.QUEUED, candidate__updated_at=now
        ).delete()
    batch.candidate_count, batch.queueing = queued, False
    batch.save(update_fields=["candidate_count", "queueing"])
    return batch


def _links_insert(batch: PushBatch, candidates: QuerySet[Candidate]) -> int:
    """Link the candidates to the push in one INSERT ... SELECT, never through Python."""
    through = PushBatch.candidates.through
    table = connection.ops.quote_name(through._meta.db_table)
    sql, params = candidates.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (pushbatch_id, candidate_id) "
            f"SELECT %s, chosen.* FROM ({sql}) AS chosen",
            [batch.pk, *params],
        )
        return cursor.rowcount


def _staff(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def push_batch_create(
    *, candidate_ids: Sequence[int], user: Any = None, trigger: str = Trigger.ADMIN
) -> PushBatch:
    """Remember these candidates as one push, so its progress can be followed."""
    through = PushBatch.candidates.through
    with transaction.atomic():
        batch = PushBatch.objects.create(
            candidate_count=len(candidate_ids), trigger=trigger, user=_staff(user)
        )
        through.objects.bulk_create(
            [through(pushbatch_id=batch.pk, candidate_id=pk) for pk in candidate_ids],
            batch_size=LINK_CHUNK,
        )
    return batch
