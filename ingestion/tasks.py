"""Celery tasks: each calls one service, bounded in time, and returns its summary."""

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from ingestion.delivery.housekeeping import delivery_sweep, history_prune
from ingestion.delivery.sending import candidates_push, run_deadline
from ingestion.inbound.ats.applying import ats_deliveries_apply_pending, ats_delivery_apply
from ingestion.inbound.events import webhook_event_apply, webhook_events_apply_pending
from ingestion.inbound.messages import reconcile_messages
from ingestion.inbound.reconcile import candidates_reconcile
from ingestion.models import Trigger


@shared_task(bind=True)
def push_candidates_task(
    self: Any, *, candidate_ids: list[int], trigger: str, user_id: int | None = None
) -> str:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    result = candidates_push(
        candidate_ids=candidate_ids, trigger=trigger, user=user, deadline=run_deadline()
    )
    if result.unfinished:
        # The rest goes on in a fresh task, so that a worker asked to stop never waits long.
        self.apply_async(kwargs=self.request.kwargs)
    return result.summary()


@shared_task
def delivery_sweep_task() -> str:
    return delivery_sweep().summary()


@shared_task
def prune_history_task() -> int:
    return history_prune(older_than=timedelta(days=settings.INTERVIEWFLOW_HISTORY_RETENTION_DAYS))


@shared_task
def apply_ats_delivery_task(*, delivery_id: int) -> str:
    decision = ats_delivery_apply(delivery_id=delivery_id)
    if decision is not None and decision.due:
        # Claimed and sent like every other push: never twice, whoever runs it.
        push_candidates_task.delay(candidate_ids=decision.due, trigger=Trigger.ATS)
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
