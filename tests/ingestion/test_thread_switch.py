"""The interpreter handed between threads promptly, in every process that may push."""

from __future__ import annotations

import sys

import pytest
from django.apps import apps
from django.conf import settings


def test_django_starts_with_the_switch_interval_set():
    assert sys.getswitchinterval() == pytest.approx(settings.THREAD_SWITCH_INTERVAL)


def test_the_interval_follows_its_setting_and_zero_leaves_it_alone(settings):
    before = sys.getswitchinterval()
    try:
        settings.THREAD_SWITCH_INTERVAL = 0.002
        apps.get_app_config("ingestion").ready()
        assert sys.getswitchinterval() == pytest.approx(0.002)

        settings.THREAD_SWITCH_INTERVAL = 0
        apps.get_app_config("ingestion").ready()
        assert sys.getswitchinterval() == pytest.approx(0.002)
    finally:
        sys.setswitchinterval(before)
