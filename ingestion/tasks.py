"""Celery tasks: each calls one service, bounded in time, and returns its summary."""

from __future__ import annotations

import math
import multiprocessing
from datetime import timedelta
from typing import Any

from celery import shared_task
from celery.signals import worker_init, worker_shutting_down
from celery.worker import state
from django.conf import settings
from django.contrib.auth import get_user_model

from ingestion.delivery.housekeeping import delivery_sweep, history_prune
from ingestion.delivery.queueing import push_queue_kept
from ingestion.delivery.sending import candidates_push, run_deadline
from ingestion.inbound.ats.applying import ats_deliveries_apply_pending, ats_delivery_apply
from ingestion.inbound.events import webhook_event_apply, webhook_events_apply_pending
from ingestion.inbound.messages import reconcile_messages
from ingestion.inbound.reconcile import candidates_reconcile
from ingestion.models import Trigger

# Set by the worker's main process when it is asked to stop, read by its pool's processes
# (forked after it was made) between two requests.
_stopping: Any = None

# Candidates a worker's task takes of a push: a large push is shared among processes.
TASK_CHUNK = 1000


@shared_task(bind=True)
def push_candidates_task(
    self: Any,
    *,
    trigger: str,
    user_id: int | None = None,
    push_batch_id: int | None = None,
    candidate_ids: list[int] | None = None,
    limit: int | None = None,
) -> str:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    result = candidates_push(
        trigger=trigger,
        user=user,
        push_batch_id=push_batch_id,
        candidate_ids=candidate_ids,
        limit=limit,
        deadline=run_deadline(),
        stop=stop_requested,
    )
    if result.unfinished:
        # The rest goes on in a fresh task, so that a worker asked to stop never waits long.
        self.apply_async(kwargs=self.request.kwargs)
    return result.summary()


@shared_task
def delivery_sweep_task() -> str:
    return delivery_sweep(stop=stop_requested).summary()


@shared_task
def prune_history_task() -> int:
    return history_prune(older_than=timedelta(days=settings.INTERVIEWFLOW_HISTORY_RETENTION_DAYS))


def push_tasks(
    *, push_batch_id: int, due: int, trigger: str, user_id: int | None
) -> list[dict[str, Any]]:
    """One task per chunk of the push: each takes at most a chunk of its due candidates."""
    task = {"push_batch_id": push_batch_id, "limit": TASK_CHUNK, "trigger": trigger}
    return [task | {"user_id": user_id}] * math.ceil(due / TASK_CHUNK)


@shared_task
def queue_push_task(*, push_batch_id: int) -> str:
    """Queue a large selection kept as a push, then hand it to workers a chunk at a time."""
    result = push_queue_kept(push_batch_id)
    tasks = push_tasks(
        push_batch_id=push_batch_id,
        due=result.due,
        trigger=result.batch.trigger,
        user_id=result.batch.user_id,
    )
    for task in tasks:
        push_candidates_task.delay(**task)
    return f"Push {push_batch_id}: {result.queued} queued, {len(tasks)} tasks."


@shared_task
def apply_ats_delivery_task(*, delivery_id: int) -> str:
    decision = ats_delivery_apply(delivery_id=delivery_id)
    if decision is not None and decision.push_batch_id:
        # Claimed and sent like every other push: never twice, whoever runs it.
        push_candidates_task.delay(push_batch_id=decision.push_batch_id, trigger=Trigger.ATS)
    # The state, not the outcome: the outcome names the candidate, which logs should not.
    return f"ATS delivery {delivery_id}: {decision.state if decision else 'already applied'}"


@shared_task
def apply_webhook_event_task(*, event_id: int) -> str:
    return webhook_event_apply(event_id=event_id).state


@shared_task
def reconcile_candidates_task() -> str:
    events = webhook_events_apply_pending()
    deliveries = ats_deliveries_apply_pending()
    lines = reconcile_messages(candidates_reconcile())
    waiting = f"{events} waiting interview events and {deliveries} waiting ATS deliveries applied."
    return " ".join([*lines, waiting])


def stop_requested() -> bool:
    """Whether this worker was asked to stop (a warm or cold shutdown)."""
    if _stopping is not None and _stopping.value:
        return True
    return any(flag not in (None, False) for flag in (state.should_stop, state.should_terminate))


@worker_init.connect
def _share_the_stop_flag(**kwargs: Any) -> None:
    global _stopping
    _stopping = multiprocessing.get_context("fork").Value("b", 0, lock=False)


@worker_shutting_down.connect
def _raise_the_stop_flag(**kwargs: Any) -> None:
    if _stopping is not None:
        _stopping.value = 1
