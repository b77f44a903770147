"""The Set status… and Set skills… actions on selected candidates, through their form page."""

from __future__ import annotations

import pytest

from recruiting.models import Candidate
from tests.admin_pages import (
    changelist_url,
    hidden_inputs,
    messages_of,
    run_action,
    submit_action_page,
)
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

State = Candidate.State


def test_set_status_shows_a_page_listing_the_selected_candidates(admin_client):
    candidates = CandidateFactory.create_batch(2)

    page = run_action(admin_client, Candidate, "set_status_action", candidates)

    assert page.status_code == 200
    assert page.templates[0].name == "admin/recruiting/candidate/action_form.html"
    html = page.content.decode()
    assert "2 candidates selected." in html
    assert candidates[0].email in html
    assert 'value="draft"' in html
    assert sorted(hidden_inputs(page)["_selected_action"]) == sorted(str(c.pk) for c in candidates)
    assert Candidate.objects.filter(status="").count() == 2


def test_set_status_applies_the_chosen_status(admin_client):
    candidates = CandidateFactory.create_batch(2)
    page = run_action(admin_client, Candidate, "set_status_action", candidates)

    response = submit_action_page(admin_client, page, status="draft")

    assert response.status_code == 302
    assert response.url == changelist_url(Candidate)
    assert messages_of(response) == ["2 candidates updated."]
    assert set(Candidate.objects.values_list("status", flat=True)) == {"draft"}


def test_set_status_refuses_shortlisted_where_the_interviewer_screens(admin_client):
    screened = InterviewerFactory(name="Screened", resume_screening=True)
    refused = CandidateFactory.create_batch(5, interviewer=screened)
    open_one = CandidateFactory(name="Open One")
    page = run_action(admin_client, Candidate, "set_status_action", [*refused, open_one])

    response = submit_action_page(admin_client, page, status="shortlisted")

    updated, refusal = messages_of(response)
    assert updated == "1 candidate updated."
    # One message for the five, naming a few of them and the setting that blocks them.
    assert refusal.startswith("5 candidates not changed (")
    assert sum(str(candidate) in refusal for candidate in refused) == 3
    assert "and 2 more): “Screened” has Resume Screening turned on" in refusal
    assert Candidate.objects.get(pk=open_one.pk).status == "shortlisted"
    assert set(Candidate.objects.filter(interviewer=screened).values_list("status", flat=True)) == {
        ""
    }


def test_set_status_leaves_candidates_already_sent_or_being_sent_alone(admin_client):
    sent = CandidateFactory(state=State.SENT)
    sending = CandidateFactory(state=State.SENDING)
    new = CandidateFactory()
    page = run_action(admin_client, Candidate, "set_status_action", [sent, sending, new])

    response = submit_action_page(admin_client, page, status="draft")

    assert messages_of(response) == [
        "1 candidate updated.",
        f"1 candidate left as they are ({sent}): It was already sent to InterviewFlowAI.",
        f"1 candidate left as they are ({sending}): It is being sent to InterviewFlowAI right now.",
    ]
    assert dict(Candidate.objects.values_list("pk", "status")) == {
        sent.pk: "",
        sending.pk: "",
        new.pk: "draft",
    }


def test_set_status_with_an_unknown_choice_shows_the_page_again_with_the_error(admin_client):
    candidate = CandidateFactory()
    page = run_action(admin_client, Candidate, "set_status_action", [candidate])

    response = submit_action_page(admin_client, page, status="hired")

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert hidden_inputs(response)["_selected_action"] == [str(candidate.pk)]
    candidate.refresh_from_db()
    assert candidate.status == ""


@pytest.mark.parametrize(
    ("mode", "typed", "expected"),
    [
        ("replace", "go; rust", ["go", "rust"]),
        ("replace", "", []),
        ("add", "aws, Python, k8s", ["python", "sql", "aws", "k8s"]),
        ("remove", "SQL | java", ["python"]),
    ],
)
def test_set_skills_replaces_adds_or_removes(admin_client, mode, typed, expected):
    candidate = CandidateFactory(skills=["python", "sql"])
    page = run_action(admin_client, Candidate, "set_skills_action", [candidate])

    response = submit_action_page(admin_client, page, mode=mode, skills=typed)

    assert messages_of(response) == ["1 candidate updated."]
    candidate.refresh_from_db()
    assert candidate.skills == expected


def test_set_skills_without_skills_to_add_shows_the_page_again_with_the_error(admin_client):
    candidate = CandidateFactory(skills=["python"])
    page = run_action(admin_client, Candidate, "set_skills_action", [candidate])

    response = submit_action_page(admin_client, page, mode="add", skills=" , ")

    assert response.status_code == 200
    assert "Type at least one skill to add or remove." in response.content.decode()
    assert response.context["form"]["skills"].value() == " , "
    candidate.refresh_from_db()
    assert candidate.skills == ["python"]


def test_set_skills_leaves_sent_candidates_alone(admin_client):
    sent = CandidateFactory(state=State.SENT, skills=["python"])
    page = run_action(admin_client, Candidate, "set_skills_action", [sent])

    response = submit_action_page(admin_client, page, mode="add", skills="aws")

    assert messages_of(response) == [
        f"1 candidate left as they are ({sent}): It was already sent to InterviewFlowAI."
    ]
    sent.refresh_from_db()
    assert sent.skills == ["python"]


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("set_status_action", {"status": "draft"}),
        ("set_skills_action", {"mode": "add", "skills": "aws"}),
    ],
)
def test_set_status_and_skills_leave_an_unconfirmed_candidate_alone(admin_client, action, fields):
    # It may already exist in InterviewFlowAI, where a change made here would never arrive.
    unconfirmed = CandidateFactory(state=State.UNCONFIRMED, skills=["python"])
    page = run_action(admin_client, Candidate, action, [unconfirmed])

    response = submit_action_page(admin_client, page, **fields)

    assert messages_of(response) == [
        f"1 candidate left as they are ({unconfirmed}): It may already be in InterviewFlowAI "
        "(its delivery is unconfirmed)."
    ]
    unconfirmed.refresh_from_db()
    assert (unconfirmed.status, unconfirmed.skills) == ("", ["python"])


def test_an_action_on_every_filtered_candidate_reaches_those_on_other_pages_too(
    admin_client, settings
):
    chosen, other = InterviewerFactory.create_batch(2)
    CandidateFactory.create_batch(3, interviewer=chosen)
    outsider = CandidateFactory(interviewer=other)
    query = f"?interviewer__id__exact={chosen.pk}"
    first = Candidate.objects.filter(interviewer=chosen).first()
    # "Select all 3" on the filtered list: the browser still sends the ticked row.
    page = admin_client.post(
        changelist_url(Candidate) + query,
        {
            "action": "set_status_action",
            "_selected_action": [first.pk],
            "select_across": "1",
            "index": 0,
        },
    )
    assert "3 candidates selected." in page.content.decode()

    response = submit_action_page(admin_client, page, status="draft")

    assert messages_of(response) == ["3 candidates updated."]
    assert Candidate.objects.filter(interviewer=chosen, status="draft").count() == 3
    outsider.refresh_from_db()
    assert outsider.status == ""
