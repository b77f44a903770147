import io

import pytest
from django.core.management import call_command

from recruiting.management.commands.setup_demo import DEMO_INTERVIEWER_ID
from recruiting.models import Interviewer

pytestmark = pytest.mark.django_db


def test_setup_demo_adds_the_demo_interviewer_under_its_own_interviewer_id(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "demo-password-for-tests")

    call_command("setup_demo", stdout=io.StringIO())
    call_command("setup_demo", stdout=io.StringIO())

    interviewer = Interviewer.objects.get()
    assert str(interviewer.external_id) == DEMO_INTERVIEWER_ID
    assert interviewer.candidates.count() == 3
