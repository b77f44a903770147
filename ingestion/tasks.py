"""Celery tasks: each calls one service, bounded in time, and returns its summary."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from typing import Any

from celery import shared_task
from celery.signals import worker_init, worker_shutting_down
from celery.worker import state
from django.conf import settings
from django.contrib.auth import get_user_model

from ingestion.delivery.housekeeping import delivery_sweep, history_prune
from ingestion.delivery.sending import candidates_push, run_deadline

# Set by the worker's main process when it is asked to stop, read by its pool's processes
# (forked after it was made) between two requests.
_stopping: Any = None


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
