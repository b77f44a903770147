"""Warnings before harm on an Interviewer: its id once candidates went out, and screening."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from recruiting.models import Candidate, Interviewer
from tests.admin_pages import form_errors, messages_of
from tests.factories import CandidateFactory, InterviewerFactory
from tests.recruiting.test_interviewer_admin import interviewer_form

pytestmark = pytest.mark.django_db
State = Candidate.State
NEW_ID = "0b9c6a1e-2d3f-4e5a-8b7c-6d5e4f3a2b1c"


def change_url(interviewer: Interviewer) -> str:
    return reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])


def test_changing_the_id_of_an_interviewer_with_sent_candidates_asks_first(admin_client):
    interviewer = InterviewerFactory()
    CandidateFactory.create_batch(2, interviewer=interviewer, state=State.SENT)
    old_id = interviewer.external_id

    response = admin_client.post(
        change_url(interviewer), interviewer_form(interviewer, external_id=NEW_ID)
    )

    assert response.status_code == 200
    (error,) = form_errors(response)["external_id"]
    assert error.startswith(
        f"2 candidates of this Interviewer went to InterviewFlowAI under the "
        f"interviewer id {old_id}"
    )
    interviewer.refresh_from_db()
    assert interviewer.external_id == old_id


def test_a_confirmed_id_change_is_saved_and_recorded_with_both_ids(admin_client):
    interviewer = InterviewerFactory()
    CandidateFactory(interviewer=interviewer, state=State.UNCONFIRMED)
    old_id = interviewer.external_id

    response = admin_client.post(
        change_url(interviewer),
        interviewer_form(interviewer, external_id=NEW_ID, confirm_id_change="on"),
    )

    assert response.status_code == 302, form_errors(response)
    interviewer.refresh_from_db()
    assert interviewer.external_id == uuid.UUID(NEW_ID)
    record = LogEntry.objects.filter(object_id=str(interviewer.pk)).first()
    assert f"from {old_id} to {NEW_ID}" in record.get_change_message()


def test_the_id_of_an_interviewer_with_only_drafts_changes_without_asking(admin_client):
    interviewer = InterviewerFactory()
    CandidateFactory(interviewer=interviewer, state=State.NEW)

    response = admin_client.post(
        change_url(interviewer), interviewer_form(interviewer, external_id=NEW_ID)
    )

    assert response.status_code == 302, form_errors(response)


def test_the_add_page_does_not_ask_about_changing_an_id(admin_client):
    html = admin_client.get(reverse("admin:recruiting_interviewer_add")).content.decode()

    assert "confirm_id_change" not in html


def test_turning_on_screening_lists_the_shortlisted_candidates_it_blocks(admin_client):
    interviewer = InterviewerFactory(visibility=Interviewer.Visibility.PUBLIC)
    CandidateFactory(interviewer=interviewer, name="Ada Lovelace")  # blank: public's shortlisted
    CandidateFactory(interviewer=interviewer, name="Grace Hopper", status="shortlisted")
    CandidateFactory(interviewer=interviewer, name="Drafted", status="draft")
    CandidateFactory(interviewer=interviewer, name="Gone", status="shortlisted", state=State.SENT)

    response = admin_client.post(
        change_url(interviewer), interviewer_form(interviewer, resume_screening="on"), follow=True
    )

    (warning,) = [m for m in messages_of(response) if "cannot be sent" in m]
    assert warning.startswith("2 candidates waiting to be sent (")
    assert "Ada Lovelace" in warning and "Grace Hopper" in warning
    assert "Drafted" not in warning and "Gone" not in warning
    assert "Use Set status… to make them drafts." in warning
