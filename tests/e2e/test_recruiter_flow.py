"""A recruiter's day in the admin, in a real browser."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from ingestion.models import IngestionRequest
from recruiting.models import Candidate, Interviewer
from tests.e2e.conftest import log_in, screenshot
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def choose_action(page, action: str) -> None:
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_a_recruiter_creates_an_interviewer_sets_skills_pushes_and_reads_the_history(page, sandbox):
    UserFactory(username="ada", is_superuser=True)
    log_in(page, sandbox, "ada")

    page.goto(f"{sandbox}/admin/recruiting/interviewer/add/")
    page.fill("#id_name", "Platform Engineer")
    page.fill("#id_skills", '["go", "kubernetes"]')
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    interviewer = Interviewer.objects.get(name="Platform Engineer")
    for name in ("Katherine Johnson", "Dorothy Vaughan", "Mary Jackson"):
        CandidateFactory(interviewer=interviewer, name=name)

    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    page.check("#action-toggle")
    choose_action(page, "set_skills_action")
    page.check("input[name=mode][value=replace]")
    page.fill("input[name=skills]", "go, terraform")
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist")
    assert "3 candidates updated" in page.inner_text(".messagelist")

    page.check("#action-toggle")
    choose_action(page, "push_action")
    page.wait_for_selector(".messagelist")
    assert "3 candidates sent" in page.inner_text(".messagelist")
    assert set(Candidate.objects.values_list("state", flat=True)) == {"sent"}

    request = IngestionRequest.objects.get()
    page.goto(f"{sandbox}/admin/ingestion/ingestionrequest/{request.pk}/change/")
    body = page.inner_text("body")
    assert '"terraform"' in body
    assert '"Katherine Johnson"' in body
    assert "201" in body
    screenshot(page, "history")


def test_a_staff_user_without_the_push_permission_sees_no_push_action(page, sandbox):
    viewer = UserFactory(username="grace")
    viewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_candidate", "change_candidate", "view_interviewer"]
        )
    )
    CandidateFactory()
    log_in(page, sandbox, "grace")

    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    actions = page.eval_on_selector_all(
        "select[name=action] option", "options => options.map(o => o.value)"
    )
    assert "set_skills_action" in actions
    assert "push_action" not in actions
    assert "resend_action" not in actions
