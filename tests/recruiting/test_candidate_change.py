"""The Candidate add and change forms: JSON fields, status rules, and locking once sent."""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models.signals import pre_save
from django.urls import reverse

from recruiting.models import Candidate
from tests.admin_pages import form_errors, messages_of
from tests.factories import CandidateFactory, InterviewerFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Candidate.State


def candidate_form(candidate: Candidate, **changes: Any) -> dict[str, Any]:
    """What the change form posts for this candidate, with some fields changed."""
    data = {
        "interviewer": candidate.interviewer_id,
        "name": candidate.name,
        "email": candidate.email,
        "status": candidate.status,
        "skills": '["python"]',
        "additional_fields": "{}",
        "metadata": "{}",
        "send_email_after": "",
        "_save": "Save",
    }
    return {**data, **changes}


def change_url(candidate: Candidate) -> str:
    return reverse("admin:recruiting_candidate_change", args=[candidate.pk])


def test_candidate_json_fields_are_shown_as_typed_and_pasted_json_is_saved_as_json(admin_client):
    candidate = CandidateFactory(skills=["sql", "aws"], additional_fields={"Manual Score": 72})
    page = admin_client.get(change_url(candidate)).content.decode()
    assert 'value="sql, aws"' in page
    assert "Manual Score: 72</textarea>" in page

    response = admin_client.post(
        change_url(candidate),
        candidate_form(
            candidate,
            skills='["python", "aws"]',
            additional_fields='{"Manual Score": 80, "isSynced": "true"}',
            metadata='{"External ID": "000123", "Phone": "+1-555-0100"}',
        ),
    )

    assert response.status_code == 302, form_errors(response)
    candidate.refresh_from_db()
    assert candidate.skills == ["python", "aws"]
    assert candidate.additional_fields == {"Manual Score": 80, "isSynced": "true"}
    assert candidate.metadata == {"External ID": "000123", "Phone": "+1-555-0100"}


def test_candidate_json_fields_left_blank_become_empty(admin_client):
    candidate = CandidateFactory(skills=["sql"], metadata={"a": 1})

    response = admin_client.post(
        change_url(candidate),
        candidate_form(candidate, skills="", additional_fields=" ", metadata="null"),
    )

    assert response.status_code == 302, form_errors(response)
    candidate.refresh_from_db()
    assert candidate.skills == []
    assert candidate.additional_fields == {}
    assert candidate.metadata == {}


@pytest.mark.parametrize(
    ("field", "typed", "expected"),
    [
        ("skills", "python, Python", "listed twice"),
        ("skills", '{"python": 1}', "Skills must be a list"),
        ("skills", '["python", ""]', "non-blank"),
        ("additional_fields", '{"Manual Score": 72,}', "not valid JSON"),
        ("additional_fields", '["Manual Score", 72]', "Enter a JSON object"),
        ("metadata", '"External ID"', "Enter a JSON object"),
        ("metadata", "42", "Enter a JSON object"),
    ],
)
def test_candidate_json_fields_with_bad_json_or_the_wrong_shape_are_refused_in_words(
    admin_client, field, typed, expected
):
    candidate = CandidateFactory(skills=["sql"])

    response = admin_client.post(change_url(candidate), candidate_form(candidate, **{field: typed}))

    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == [field]
    assert expected in " ".join(errors[field])
    # What was typed is shown again, to be corrected rather than retyped.
    assert response.context["adminform"].form[field].value() == typed
    candidate.refresh_from_db()
    assert candidate.skills == ["sql"]


def test_candidate_bad_json_error_says_where_the_mistake_is(admin_client):
    candidate = CandidateFactory()

    response = admin_client.post(
        change_url(candidate), candidate_form(candidate, additional_fields='{"Score" 72}')
    )

    (error,) = form_errors(response)["additional_fields"]
    assert "line 1, column 10" in error


@contextmanager
def claimed_while_saving(candidate: Candidate, **claim: Any) -> Iterator[None]:
    """A worker's claim that lands after the change form read the candidate, before it saves."""

    def claim_first(sender: type[Candidate], instance: Candidate, **kwargs: Any) -> None:
        if instance.pk == candidate.pk:
            Candidate.objects.filter(pk=candidate.pk).update(**claim)

    pre_save.connect(claim_first, sender=Candidate, weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(claim_first, sender=Candidate)


def test_a_change_saves_only_what_was_changed_and_keeps_a_claim_made_meanwhile(admin_client):
    candidate = CandidateFactory(name="Ada", skills=["python"])
    form = candidate_form(candidate, name="Ada Lovelace")
    assert admin_client.get(change_url(candidate)).status_code == 200
    token = uuid.uuid4()

    with claimed_while_saving(candidate, state=State.SENDING, claim_token=token, attempts=1):
        response = admin_client.post(change_url(candidate), form)

    assert response.status_code == 302, form_errors(response)
    candidate.refresh_from_db()
    assert candidate.name == "Ada Lovelace"
    assert (candidate.state, candidate.claim_token, candidate.attempts) == (State.SENDING, token, 1)


def test_a_changed_email_is_stored_lower_cased(admin_client):
    candidate = CandidateFactory(email="ada@example.com", skills=["python"])

    response = admin_client.post(
        change_url(candidate), candidate_form(candidate, email="Ada.Lovelace@Example.COM")
    )

    assert response.status_code == 302, form_errors(response)
    candidate.refresh_from_db()
    assert candidate.email == "ada.lovelace@example.com"


def test_a_sent_candidate_page_is_read_only_and_says_why(admin_client):
    candidate = CandidateFactory(name="Ada", state=State.SENT)

    response = admin_client.get(change_url(candidate))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This candidate can no longer be changed here: it was already sent" in html
    assert "Only new and failed candidates can be edited." in html
    assert 'name="name"' not in html
    assert 'name="_save"' not in html
    assert '<div class="readonly">Ada</div>' in html


@pytest.mark.parametrize("state", [State.QUEUED, State.SENDING, State.SENT, State.UNCONFIRMED])
def test_a_candidate_taken_for_delivery_after_its_form_was_shown_is_not_saved(admin_client, state):
    candidate = CandidateFactory(name="Ada", skills=["python"])
    form = candidate_form(candidate, name="Ada Lovelace")
    assert 'name="name"' in admin_client.get(change_url(candidate)).content.decode()
    Candidate.objects.filter(pk=candidate.pk).update(state=state)

    response = admin_client.post(change_url(candidate), form)

    assert response.status_code == 302
    assert response.url == change_url(candidate)
    (message,) = messages_of(response)
    assert message.startswith("Nothing was saved. This candidate can no longer be changed here:")
    candidate.refresh_from_db()
    assert (candidate.name, candidate.state) == ("Ada", state)


@pytest.mark.parametrize("state", [State.NEW, State.FAILED])
def test_new_and_failed_candidates_can_be_edited(admin_client, state):
    candidate = CandidateFactory(state=state)

    html = admin_client.get(change_url(candidate)).content.decode()

    assert 'name="name"' in html
    assert 'name="_save"' in html
    assert 'id="locked-note"' not in html


def test_shortlisted_is_refused_on_the_change_form_naming_the_interviewer_setting(admin_client):
    interviewer = InterviewerFactory(name="Screened", resume_screening=True)
    candidate = CandidateFactory(interviewer=interviewer, status=Candidate.Status.DRAFT)

    response = admin_client.post(
        change_url(candidate), candidate_form(candidate, status=Candidate.Status.SHORTLISTED)
    )

    assert response.status_code == 200
    (error,) = form_errors(response)["status"]
    assert "Resume Screening" in error
    assert "cannot be shortlisted" in error
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.DRAFT


def test_shortlisted_is_refused_when_adding_a_candidate_too(admin_client):
    interviewer = InterviewerFactory(screening_questions=True)

    response = admin_client.post(
        reverse("admin:recruiting_candidate_add"),
        {
            "interviewer": interviewer.pk,
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "status": "",
            "skills": "[]",
            "additional_fields": "{}",
            "metadata": "{}",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    (error,) = form_errors(response)["status"]
    assert "Screening Questions" in error
    assert not Candidate.objects.exists()


def test_candidate_is_added_with_its_email_lower_cased(admin_client):
    interviewer = InterviewerFactory()

    response = admin_client.post(
        reverse("admin:recruiting_candidate_add"),
        {
            "interviewer": interviewer.pk,
            "name": "Ada Lovelace",
            "email": "Ada@Example.com",
            "status": "draft",
            "skills": "",
            "additional_fields": "",
            "metadata": "",
            "send_email_after": "12",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, form_errors(response)
    candidate = Candidate.objects.get()
    assert candidate.email == "ada@example.com"
    assert (candidate.skills, candidate.additional_fields, candidate.send_email_after) == (
        [],
        {},
        12,
    )


def test_skills_and_fields_typed_as_people_type_them_are_saved_as_json(admin_client):
    candidate = CandidateFactory(skills=["sql"])

    response = admin_client.post(
        change_url(candidate),
        candidate_form(
            candidate,
            skills="python, aws",
            additional_fields='Manual Score: 80\nisSynced: "true"\nRatio: 4.5',
            metadata="External ID: 000123\nPhone: +1-555-0100",
        ),
    )

    assert response.status_code == 302, form_errors(response)
    candidate.refresh_from_db()
    assert candidate.skills == ["python", "aws"]
    assert candidate.additional_fields == {"Manual Score": 80, "isSynced": "true", "Ratio": 4.5}
    assert candidate.metadata == {"External ID": "000123", "Phone": "+1-555-0100"}


def test_fields_saved_untouched_keep_their_json_exactly(admin_client):
    fields = {"Score": 72, "Code": "72", "Synced": True, "Note": "true", "Nested": {"a": [1]}}
    candidate = CandidateFactory(additional_fields=fields, metadata={"External ID": "000123"})
    page = admin_client.get(change_url(candidate)).content.decode()
    shown = page.split('name="additional_fields"')[1].split(">", 1)[1].split("</textarea>")[0]

    response = admin_client.post(
        change_url(candidate),
        candidate_form(
            candidate,
            skills="",
            additional_fields=html.unescape(shown),
            metadata="External ID: 000123",
        ),
    )

    assert response.status_code == 302, form_errors(response)
    candidate.refresh_from_db()
    assert candidate.additional_fields == fields
    assert candidate.metadata == {"External ID": "000123"}


def test_a_line_that_is_not_key_and_value_is_pointed_out(admin_client):
    candidate = CandidateFactory()

    response = admin_client.post(
        change_url(candidate), candidate_form(candidate, additional_fields="Score: 1\njust text")
    )

    assert response.status_code == 200
    assert form_errors(response)["additional_fields"] == [
        "Line 2 is not “Key: value”. Write one per line, for example “Manual Score: 72”."
    ]


def test_a_sent_candidates_page_shows_what_was_sent_and_links_to_no_user_page(admin_client):
    interviewer = InterviewerFactory(skills=["python", "django"])
    asker = UserFactory(username="rita")
    sent = CandidateFactory(
        interviewer=interviewer,
        state=Candidate.State.SENT,
        additional_fields={"Manual Score": 72},
        resend_requested_by=asker,
    )

    html = admin_client.get(change_url(sent)).content.decode()

    assert 'Shortlisted <span class="muted">(default)</span>' in html
    assert '<span class="muted">python, django</span>' in html
    assert "Manual Score: 72" in html
    assert "rita" in html
    assert "/admin/auth/user/" not in html


def test_the_add_page_has_no_empty_delivery_block(admin_client):
    html = admin_client.get(reverse("admin:recruiting_candidate_add")).content.decode()

    assert "Delivery" not in html
    assert 'name="name"' in html
