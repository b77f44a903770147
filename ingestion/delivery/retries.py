"""When to try a definite failure again."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings

RATE_LIMIT_MIN_DELAY = 60.0
JITTER = 0.2


def max_attempts() -> int:
    return len(settings.INTERVIEWFLOW_RETRY_DELAYS) + 1


def retry_delay(
    *, attempts: int, retry_after: float | None = None, status_code: int | None = None
) -> timedelta | None:
    """The wait before attempt `attempts + 1`, or None when no attempt is left."""
    delays = settings.INTERVIEWFLOW_RETRY_DELAYS
    if attempts > len(delays):
        return None
    seconds = delays[attempts - 1] * random.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        seconds = max(seconds, min(retry_after, settings.INTERVIEWFLOW_RETRY_AFTER_MAX))
    if status_code == 429:
        seconds = max(seconds, RATE_LIMIT_MIN_DELAY)
    return timedelta(seconds=seconds)


def request_duration_max() -> timedelta:
    """The longest one request normally takes: connecting, then waiting for the answer."""
    return timedelta(seconds=2 * settings.INTERVIEWFLOW_TIMEOUT)


def lease_duration() -> timedelta:
    """How long a claim holds: longer than one request can take (connect + read)."""
    return timedelta(seconds=4 * settings.INTERVIEWFLOW_TIMEOUT + 5)
