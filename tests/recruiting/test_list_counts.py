""" "Show counts" at scale: each choice of a filter counted up to the ceiling, in one query."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingestion.models import IngestionRequest, PushBatch
from recruiting import change_lists
from recruiting.change_lists import CountedListMixin, capped_counts
from recruiting.models import Candidate, Interviewer
from tests.admin_pages import changelist_url
from tests.factories import CandidateFactory, IngestionRequestFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

State = Candidate.State
FACETS = {"_facets": "True"}


@pytest.fixture
def ceiling_of_five(monkeypatch):
    monkeypatch.setattr(change_lists, "COUNT_CEILING", 5)


def choices_shown(page, title: str) -> list[str]:
    (spec,) = [spec for spec in page.context["cl"].filter_specs if spec.title == title]
    return [choice["display"] for choice in spec.choices(page.context["cl"])]


def test_every_list_of_the_project_counts_with_the_ceiling():
    models = [*apps.get_app_config("recruiting").get_models()]
    models += apps.get_app_config("ingestion").get_models()
    listed = [admin.site.get_model_admin(m) for m in models if admin.site.is_registered(m)]

    assert len(listed) == 8
    assert all(isinstance(model_admin, CountedListMixin) for model_admin in listed)


def test_counts_stop_at_the_ceiling_and_say_so(admin_client, ceiling_of_five):
    interviewer = InterviewerFactory(name="Ada")
    InterviewerFactory(name="Bob")  # a filter of one choice is not shown
    CandidateFactory.create_batch(7, interviewer=interviewer, state=State.SENT)
    CandidateFactory.create_batch(2, interviewer=interviewer, state=State.FAILED)

    page = admin_client.get(changelist_url(Candidate), FACETS)

    states = choices_shown(page, "state")
    assert "Sent (5+)" in states
    assert "Failed (2)" in states
    assert "Queued (0)" in states
    assert "Ada (5+)" in choices_shown(page, "interviewer")


def test_each_filter_counts_all_its_choices_in_one_bounded_query(admin_client, ceiling_of_five):
    for interviewer in InterviewerFactory.create_batch(3):
        CandidateFactory.create_batch(3, interviewer=interviewer, state=State.SENT)

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(changelist_url(Candidate), FACETS)

    counts = [q["sql"] for q in queries.captured_queries if "(SELECT COUNT(*) FROM" in q["sql"]]
    # The state and the Interviewer: the filters an index serves.
    assert len(counts) == 2
    assert all(sql.count("LIMIT 6") == sql.count("SELECT COUNT(*)") for sql in counts)


def test_counting_asks_no_more_queries_with_more_rows_or_interviewers(admin_client):
    def facet_queries() -> int:
        admin_client.get(changelist_url(Candidate), FACETS)
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(changelist_url(Candidate), FACETS)
        return len(queries)

    for interviewer in InterviewerFactory.create_batch(2):
        CandidateFactory(interviewer=interviewer)
    few = facet_queries()
    for interviewer in InterviewerFactory.create_batch(4):
        CandidateFactory.create_batch(5, interviewer=interviewer, state=State.FAILED)

    assert facet_queries() == few


def test_filters_no_index_serves_are_not_counted(admin_client):
    CandidateFactory(name="")  # refused as it stands

    page = admin_client.get(changelist_url(Candidate), FACETS)

    assert choices_shown(page, "can be sent") == ["All", "Cannot be sent as it stands (-)"]
    assert "Shortlisted (-)" in choices_shown(page, "status")
    assert "Completed (-)" in choices_shown(page, "interview status")


def test_counts_follow_the_other_filters_and_the_search(admin_client):
    ada, bob = InterviewerFactory(name="Ada"), InterviewerFactory(name="Bob")
    CandidateFactory.create_batch(2, interviewer=ada, state=State.FAILED)
    CandidateFactory(interviewer=bob, state=State.FAILED, name="Findme")

    narrowed = admin_client.get(
        changelist_url(Candidate), {**FACETS, "interviewer__id__exact": ada.pk}
    )
    searched = admin_client.get(changelist_url(Candidate), {**FACETS, "q": "Findme"})

    assert "Failed (2)" in choices_shown(narrowed, "state")
    # A filter's own choices are counted without it, as Django does.
    assert "Bob (1)" in choices_shown(narrowed, "interviewer")
    assert "Failed (1)" in choices_shown(searched, "state")


@pytest.mark.parametrize("model", [IngestionRequest, PushBatch, Interviewer])
def test_the_other_lists_show_their_counts(admin_client, model, ceiling_of_five):
    IngestionRequestFactory.create_batch(7)
    CandidateFactory.create_batch(2)

    page = admin_client.get(changelist_url(model), FACETS)

    assert page.status_code == 200
    shown = [
        c["display"]
        for spec in page.context["cl"].filter_specs
        for c in spec.choices(page.context["cl"])
    ]
    assert any(display.endswith(")") for display in shown)


def test_a_capped_count_of_nothing_asks_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert capped_counts({}) == {}

    assert len(queries) == 0
