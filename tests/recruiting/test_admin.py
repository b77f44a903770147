"""The Interviewer and Candidate admin, driven through Django's test client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recruiting.models import Candidate, Interviewer
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


def form_errors(response) -> dict[str, list[str]]:
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- Interviewer ------------------------------------------------------------------------------


def test_interviewer_list_shows_candidate_counts_per_state_linked_to_the_candidates(admin_client):
    interviewer = InterviewerFactory(name="Data Engineer")
    CandidateFactory.create_batch(2, interviewer=interviewer)
    CandidateFactory(interviewer=interviewer, state=State.SENT)
    CandidateFactory(interviewer=interviewer, state=State.FAILED)
    InterviewerFactory(name="Nobody Yet")

    response = admin_client.get(changelist_url(Interviewer))

    html = response.content.decode()
    assert "New 2" in html
    assert "Sent 1" in html
    assert "Failed 1" in html
    assert "Queued" not in html
    assert "none yet" in html
    link = (
        f"{changelist_url(Candidate)}?interviewer__id__exact={interviewer.pk}&amp;state__exact=new"
    )
    assert link in html
    new_ones = admin_client.get(link.replace("&amp;", "&"))
    assert new_ones.context["cl"].result_count == 2


def test_interviewer_counts_take_one_query_however_many_interviewers(
    admin_client, django_assert_max_num_queries
):
    def add_interviewers(count: int) -> None:
        for interviewer in InterviewerFactory.create_batch(count):
            CandidateFactory(interviewer=interviewer)
            CandidateFactory(interviewer=interviewer, state=State.SENT)

    url = changelist_url(Interviewer)
    admin_client.get(url)  # the session and the delivery status row exist from here on
    add_interviewers(3)
    with_three = query_count(admin_client, url)
    add_interviewers(27)
    with django_assert_max_num_queries(with_three):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 30


def test_interviewer_autocomplete_and_change_page_do_not_count_candidates(admin_client):
    interviewer = InterviewerFactory(name="Data Engineer")
    CandidateFactory.create_batch(2, interviewer=interviewer)
    autocomplete = reverse("admin:autocomplete") + (
        "?term=data&app_label=recruiting&model_name=candidate&field_name=interviewer"
    )
    change_page = reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])

    for url in (autocomplete, change_page):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200
        # The list's per-state counts join the candidates; nothing else here needs them.
        assert not [q["sql"] for q in queries if "recruiting_candidate" in q["sql"]], url
    results = admin_client.get(autocomplete).json()["results"]
    assert results == [{"id": str(interviewer.pk), "text": "Data Engineer"}]


def test_interviewer_is_added_with_its_skills_as_json(admin_client):
    response = admin_client.post(
        reverse("admin:recruiting_interviewer_add"),
        {
            "external_id": "3f6c2a9e-5b1d-4c8e-9f2a-7d4e1b0c8a99",
            "name": "Platform Engineer",
            "visibility": "private",
            "skills": '["go", "kubernetes"]',
            "active": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, form_errors(response)
    interviewer = Interviewer.objects.get(name="Platform Engineer")
    assert interviewer.skills == ["go", "kubernetes"]
    assert interviewer.visibility == "private"


def test_the_interviewer_add_form_starts_without_an_interviewer_id(admin_client):
    page = admin_client.get(reverse("admin:recruiting_interviewer_add"))

    assert page.context["adminform"].form["external_id"].value() is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", "Paste the interviewerId that InterviewFlowAI shows for this Interviewer"),
        ("backend-engineer", "This is not an interviewerId. Copy it from InterviewFlowAI"),
    ],
)
def test_an_interviewer_without_a_real_interviewer_id_is_refused_in_words(
    admin_client, typed, expected
):
    response = admin_client.post(
        reverse("admin:recruiting_interviewer_add"),
        {
            "external_id": typed,
            "name": "Platform Engineer",
            "visibility": "public",
            "skills": "",
            "active": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    (error,) = form_errors(response)["external_id"]
    assert error.startswith(expected)
    assert expected in response.content.decode()
    assert not Interviewer.objects.exists()


def test_interviewer_change_form_shows_and_saves_skills_as_json(admin_client):
    interviewer = InterviewerFactory(skills=["python", "aws"])
    url = reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])

    page = admin_client.get(url)
    assert "[&quot;python&quot;, &quot;aws&quot;]" in page.content.decode()

    data = {
        "external_id": str(interviewer.external_id),
        "name": interviewer.name,
        "visibility": "public",
        "skills": '["python", "terraform"]',
        "active": "on",
        "resume_screening": "on",
        "_save": "Save",
    }
    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    interviewer.refresh_from_db()
    assert interviewer.skills == ["python", "terraform"]
    assert interviewer.resume_screening is True


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("go, kubernetes", "not valid JSON"),
        ('"go"', "Skills must be a list"),
        ('["go", "Go"]', "listed twice"),
    ],
)
def test_interviewer_skills_that_are_not_a_json_list_are_refused_in_words(
    admin_client, typed, expected
):
    interviewer = InterviewerFactory(skills=["python"])
    url = reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])
    data = {
        "external_id": str(interviewer.external_id),
        "name": interviewer.name,
        "visibility": "public",
        "skills": typed,
        "active": "on",
        "_save": "Save",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert expected in " ".join(form_errors(response)["skills"])
    interviewer.refresh_from_db()
    assert interviewer.skills == ["python"]


def test_interviewer_with_blank_skills_keeps_an_empty_list(admin_client):
    interviewer = InterviewerFactory(skills=["python"])
    url = reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])
    data = {
        "external_id": str(interviewer.external_id),
        "name": interviewer.name,
        "visibility": "public",
        "skills": "",
        "active": "on",
        "_save": "Save",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    interviewer.refresh_from_db()
    assert interviewer.skills == []


# --- Candidate list ---------------------------------------------------------------------------


def test_candidate_list_shows_state_badges_and_the_effective_status(admin_client):
    interviewer = InterviewerFactory(visibility=Interviewer.Visibility.PRIVATE)
    CandidateFactory(interviewer=interviewer, state=State.FAILED, last_error="HTTP 400")
    CandidateFactory(interviewer=interviewer, status=Candidate.Status.SHORTLISTED)

    html = admin_client.get(changelist_url(Candidate)).content.decode()

    assert '<span class="state-badge state-failed" title="HTTP 400">Failed</span>' in html
    assert '<span class="state-badge state-new" title="">New</span>' in html
    assert 'draft <span class="muted">(default)</span>' in html
    assert "Shortlisted" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state__exact=sent", {"Sent One"}),
        ("status=draft", {"Draft One"}),
        ("status=shortlisted", {"Sent One"}),
        ("status=default", {"Other One"}),
        ("q=draft", {"Draft One"}),
        ("q=OTHER%40example.org", {"Other One"}),
    ],
)
def test_candidate_list_filters_and_search(admin_client, query, expected):
    first, second = InterviewerFactory.create_batch(2)
    CandidateFactory(
        interviewer=first, name="Sent One", state=State.SENT, status=Candidate.Status.SHORTLISTED
    )
    CandidateFactory(interviewer=first, name="Draft One", status=Candidate.Status.DRAFT)
    CandidateFactory(interviewer=second, name="Other One", email="other@example.org")

    response = admin_client.get(f"{changelist_url(Candidate)}?{query}")

    assert {c.name for c in response.context["cl"].result_list} == expected


def test_candidate_list_filters_by_interviewer(admin_client):
    first, second = InterviewerFactory.create_batch(2)
    CandidateFactory(interviewer=first, name="First")
    CandidateFactory(interviewer=second, name="Second")

    response = admin_client.get(f"{changelist_url(Candidate)}?interviewer__id__exact={second.pk}")

    assert [c.name for c in response.context["cl"].result_list] == ["Second"]


def test_candidate_list_queries_do_not_grow_with_the_number_of_candidates(
    admin_client, django_assert_max_num_queries
):
    url = changelist_url(Candidate)
    admin_client.get(url)  # the session and the delivery status row exist from here on
    # Each candidate has an Interviewer of its own: the worst case for the list.
    CandidateFactory.create_batch(5, skills=[])
    with_five = query_count(admin_client, url)
    CandidateFactory.create_batch(45, status=Candidate.Status.DRAFT)

    with django_assert_max_num_queries(with_five):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 50


# --- Candidate change form --------------------------------------------------------------------


def test_candidate_json_fields_are_shown_and_saved_as_json(admin_client):
    candidate = CandidateFactory(skills=["sql"], additional_fields={"Manual Score": 72})
    assert (
        "{&quot;Manual Score&quot;: 72}" in admin_client.get(change_url(candidate)).content.decode()
    )

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
        ("skills", "python, aws", "not valid JSON"),
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
    token, lease = uuid.uuid4(), timezone.now() + timedelta(seconds=30)

    with claimed_while_saving(
        candidate, state=State.SENDING, claim_token=token, lease_expires_at=lease, attempts=1
    ):
        response = admin_client.post(change_url(candidate), form)

    assert response.status_code == 302, form_errors(response)
    candidate.refresh_from_db()
    assert candidate.name == "Ada Lovelace"
    assert (candidate.state, candidate.claim_token, candidate.attempts) == (State.SENDING, token, 1)
    assert candidate.lease_expires_at == lease


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


# --- Set status… and Set skills… ----------------------------------------------------------------


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
        "2 candidates left as they are: already sent or being sent.",
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

    assert messages_of(response) == ["1 candidate left as they are: already sent or being sent."]
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

    assert messages_of(response) == ["1 candidate left as they are: already sent or being sent."]
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
