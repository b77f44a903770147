"""Queue candidates, then hand them to a Celery worker or, without a broker, a thread.

Beside the tasks rather than in the delivery services, so that delivery never imports
the tasks that call it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import db
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from ingestion.delivery.queueing import Intent, candidates_queue, push_select
from ingestion.delivery.results import QueueResult
from ingestion.models import Trigger, WebhookEvent
from ingestion.tasks import (
    apply_ats_delivery_task,
    apply_webhook_event_task,
    push_candidates_task,
    push_tasks,
    queue_push_task,
)
from recruiting.imports.results import ImportResult
from recruiting.models import Candidate

logger = logging.getLogger(__name__)


def candidates_push_request(
    *,
    candidate_ids: Iterable[int] | QuerySet[Candidate],
    trigger: str,
    user: Any = None,
    intent: Intent | None = None,
) -> QueueResult:
    """Queue candidates and hand them to workers once the transaction commits.

    A plain push of more candidates than `INTERVIEWFLOW_QUEUE_INLINE_MAX` is kept as chosen
    and queued in the background (`queue_push_task`), so that the page answers at once.
    """
    if intent is None and not isinstance(candidate_ids, QuerySet):
        candidate_ids = list(candidate_ids)
    if intent is None and _count(candidate_ids) > settings.INTERVIEWFLOW_QUEUE_INLINE_MAX:
        batch = push_select(_as_query(candidate_ids), user=user, trigger=trigger)
        transaction.on_commit(lambda: _queue_kept(batch.pk))
        return QueueResult(batch=batch, selected=batch.candidate_count)
    result = candidates_queue(
        candidate_ids=candidate_ids, intent=intent, user=user, trigger=trigger
    )
    if result.batch and result.due:
        tasks = push_tasks(
            push_batch_id=result.batch.pk,
            due=result.due,
            trigger=trigger,
            user_id=getattr(user, "pk", None),
        )
        transaction.on_commit(lambda: _dispatch(result, tasks))
    return result


def candidates_schedule_push(
    *, candidate_ids: Iterable[int], send_at: datetime | None, trigger: str, user: Any = None
) -> QueueResult:
    """Queue the candidates with the time their invitations should go out (None: now)."""
    return candidates_push_request(
        candidate_ids=candidate_ids,
        trigger=trigger,
        user=user,
        intent=Intent.schedule(send_at=send_at),
    )


def imported_push(result: ImportResult, *, user: Any = None) -> QueueResult | None:
    """Push what an import wrote, when the recruiter asked for it with the file."""
    if not (result.written and result.push_requested and result.candidate_ids):
        return None
    return candidates_push_request(
        candidate_ids=result.candidate_ids, trigger=Trigger.IMPORT, user=user
    )


def _count(candidate_ids: list[int] | QuerySet[Candidate]) -> int:
    return len(candidate_ids) if isinstance(candidate_ids, list) else candidate_ids.count()


def _as_query(candidate_ids: list[int] | QuerySet[Candidate]) -> QuerySet[Candidate]:
    if isinstance(candidate_ids, QuerySet):
        return candidate_ids
    return Candidate.objects.filter(pk__in=candidate_ids)


def _queue_kept(push_batch_id: int) -> None:
    if queue_push_task.app.conf.task_always_eager:
        # No broker: the queueing and the push go on in a thread of this process.
        tasks = [{"push_batch_id": push_batch_id}]
        stopped = "A background queueing stopped; the sweep takes the push up again"
        _in_background(queue_push_task, tasks, stopped=stopped)
        return
    try:
        queue_push_task.delay(push_batch_id=push_batch_id)
    except Exception:  # any broker failure: the periodic sweep queues it a minute later
        logger.warning(
            "Could not reach the task broker; push %s waits for the sweep", push_batch_id
        )


def _dispatch(result: QueueResult, tasks: list[dict[str, Any]]) -> None:
    eager = push_candidates_task.app.conf.task_always_eager
    if eager and result.due > settings.INTERVIEWFLOW_INLINE_PUSH_LIMIT:
        # No broker: a large push goes on in a thread of this process, so the page answers at
        # once, task after task as workers would take them. Should the process stop, the
        # sweep finds the candidates still queued.
        stopped = "A background push stopped; its candidates wait for the sweep"
        _in_background(push_candidates_task, tasks, stopped=stopped)
        return
    for task in tasks:
        try:
            push_candidates_task.delay(**task)
        except Exception:  # any broker failure: the periodic sweep sends them later
            if eager:
                raise
            logger.warning("Could not reach the task broker; queued candidates wait for the sweep")
            result.dispatched = False
            return


def _in_background(task: Any, tasks: list[dict[str, Any]], *, stopped: str) -> None:
    """Run these tasks one after another on a thread of this process, as a worker would."""

    def run() -> None:
        try:
            for kwargs in tasks:
                task.apply(kwargs=kwargs)
        except Exception:
            logger.exception(stopped)
        finally:
            db.connections.close_all()

    threading.Thread(target=run, daemon=True).start()


def ats_delivery_dispatch(*, delivery_id: int) -> None:
    """Apply a kept ATS delivery in a worker (or, without a broker, here) once it commits."""
    _apply_on_commit(
        apply_ats_delivery_task, f"ATS delivery #{delivery_id}", delivery_id=delivery_id
    )


def webhook_event_apply_request(event: WebhookEvent) -> None:
    """Apply a kept event once its row is committed: in a worker, or here without a broker."""
    if event.state == WebhookEvent.State.RECEIVED:
        _apply_on_commit(
            apply_webhook_event_task, f"interview event #{event.pk}", event_id=event.pk
        )


def _apply_on_commit(task: Any, what: str, **kwargs: Any) -> None:
    transaction.on_commit(lambda: _hand_over(task, what, **kwargs))


def _hand_over(task: Any, what: str, **kwargs: Any) -> None:
    try:
        task.delay(**kwargs)
    except Exception:  # kept and still received: the periodic pass or staff apply it again
        if task.app.conf.task_always_eager:
            logger.exception("The %s could not be applied yet", what)
            return
        logger.warning("Could not reach the task broker; the %s waits to be applied", what)
