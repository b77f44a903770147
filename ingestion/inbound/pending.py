"""Deliveries kept but never applied: the task that would have applied them was lost."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

# Younger than this, the task handed the delivery may still be on its way.
PENDING_AFTER = timedelta(minutes=1)
PENDING_BATCH = 1000


def pending_ids(received: QuerySet, *, now: datetime | None = None) -> list[int]:
    """The oldest ids among `received` kept longer than PENDING_AFTER ago, a bounded number."""
    before = (now or timezone.now()) - PENDING_AFTER
    waiting = received.filter(received_at__lte=before).order_by("received_at", "pk")
    return list(waiting.values_list("pk", flat=True)[:PENDING_BATCH])
