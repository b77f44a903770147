"""Celery tasks: each calls one service and returns its summary."""

from celery import shared_task
from django.contrib.auth import get_user_model

from ingestion.delivery.housekeeping import delivery_sweep
from ingestion.delivery.sending import candidates_push


@shared_task
def push_candidates_task(
    *, candidate_ids: list[int], trigger: str, user_id: int | None = None
) -> str:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return candidates_push(candidate_ids=candidate_ids, trigger=trigger, user=user).summary()


@shared_task
def delivery_sweep_task() -> str:
    return delivery_sweep().summary()
