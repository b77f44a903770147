"""The Interviewer admin: its list with candidate counts, its add and change forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recruiting.models import Candidate, Interviewer
from tests.admin_pages import changelist_url, form_errors, query_count
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

State = Candidate.State


def interviewer_form(interviewer: Interviewer, **changes: Any) -> dict[str, Any]:
    """What the change form posts for this public Interviewer, with some fields changed."""
    data = {
        "external_id": str(interviewer.external_id),
        "name": interviewer.name,
        "visibility": "public",
        "active": "on",
        "_save": "Save",
    }
    return {**data, **changes}


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


def test_interviewer_change_form_shows_skills_as_a_comma_list_and_saves_them_as_json(
    admin_client,
):
    interviewer = InterviewerFactory(skills=["python", "aws"])
    url = reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])

    page = admin_client.get(url)
    assert 'value="python, aws"' in page.content.decode()

    data = interviewer_form(interviewer, skills="python, terraform", resume_screening="on")
    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    interviewer.refresh_from_db()
    assert interviewer.skills == ["python", "terraform"]
    assert interviewer.resume_screening is True


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("go, Go", "listed twice"),
        ('"go"', "Skills must be a list"),
        ('["go", "Go"]', "listed twice"),
    ],
)
def test_interviewer_skills_that_are_not_a_json_list_are_refused_in_words(
    admin_client, typed, expected
):
    interviewer = InterviewerFactory(skills=["python"])
    url = reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])
    data = interviewer_form(interviewer, skills=typed)

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert expected in " ".join(form_errors(response)["skills"])
    interviewer.refresh_from_db()
    assert interviewer.skills == ["python"]


def test_interviewer_with_blank_skills_keeps_an_empty_list(admin_client):
    interviewer = InterviewerFactory(skills=["python"])
    url = reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])
    data = interviewer_form(interviewer, skills="")

    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    interviewer.refresh_from_db()
    assert interviewer.skills == []
