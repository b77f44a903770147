from datetime import timedelta

import pytest

from ingestion.delivery import retries


@pytest.fixture(autouse=True)
def _schedule(settings):
    settings.INTERVIEWFLOW_RETRY_DELAYS = [30, 120, 600]
    settings.INTERVIEWFLOW_RETRY_AFTER_MAX = 3600
    settings.INTERVIEWFLOW_TIMEOUT = 10


@pytest.mark.parametrize(("attempts", "base"), [(1, 30), (2, 120), (3, 600)])
def test_each_retry_waits_its_scheduled_delay_within_twenty_percent(attempts, base):
    delays = [retries.retry_delay(attempts=attempts).total_seconds() for _ in range(200)]
    assert min(delays) >= base * 0.8
    assert max(delays) <= base * 1.2
    assert len(set(delays)) > 1, "the delay is jittered"


def test_no_retry_is_left_once_the_schedule_is_spent():
    assert retries.max_attempts() == 4
    assert retries.retry_delay(attempts=4) is None


def test_retry_after_is_honoured_when_longer_than_the_schedule():
    delay = retries.retry_delay(attempts=1, retry_after=900)
    assert delay == timedelta(seconds=900)


def test_retry_after_is_clamped_to_the_configured_maximum():
    assert retries.retry_delay(attempts=1, retry_after=10**7) == timedelta(seconds=3600)


def test_a_rate_limit_waits_at_least_a_minute_whatever_the_schedule_says():
    delay = retries.retry_delay(attempts=1, retry_after=1, status_code=429)
    assert delay == timedelta(seconds=60)


def test_a_claim_outlives_the_longest_request():
    # connect and read timeouts both apply: a request can take twice the timeout.
    assert retries.lease_duration() > timedelta(seconds=2 * 10)
