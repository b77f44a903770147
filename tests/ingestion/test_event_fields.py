"""The one table of paths where events and Fetch API answers hold each value."""

import pytest

from ingestion.inbound.fields import EVENT_PATHS, event_fields, interview_step


@pytest.mark.parametrize(
    ("body", "name", "value"),
    [
        ({"event": "interview.started"}, "event_type", "interview.started"),
        ({"type": "x"}, "event_type", "x"),
        ({"data": {"eventType": "x"}}, "event_type", "x"),
        ({"event_type": "x"}, "event_type", "x"),
        ({"id": 7}, "event_id", "7"),
        ({"eventId": "e"}, "event_id", "e"),
        ({"event_id": "e"}, "event_id", "e"),
        ({"webhookId": "w"}, "event_id", "w"),
        ({"data": {"id": "the candidate's"}}, "event_id", ""),
        ({"email": " Ada@Example.COM "}, "email", "ada@example.com"),
        ({"candidateEmail": "a@x.io"}, "email", "a@x.io"),
        ({"data": {"candidate": {"email": "a@x.io"}}}, "email", "a@x.io"),
        ({"interviewerId": "i-1"}, "interviewer_id", "i-1"),
        ({"data": {"interviewer": {"id": "i-1"}}}, "interviewer_id", "i-1"),
        ({"data": {"interviewId": "iv"}}, "interview_id", "iv"),
        ({"score": 8.5}, "score", "8.5"),
        ({"reportUrl": "https://r"}, "report_url", "https://r"),
        ({"data": {"report": {"url": "https://r"}}}, "report_url", "https://r"),
        ({"interviewLink": "https://l"}, "interview_link", "https://l"),
        ({"data": {"link": "https://l"}}, "interview_link", "https://l"),
        ({"email": {"not": "text"}}, "email", ""),
    ],
)
def test_each_value_is_read_from_every_path_of_the_table(body, name, value):
    assert getattr(event_fields(body), name) == value


def test_the_table_names_every_field_it_reads():
    assert set(EVENT_PATHS) == set(event_fields({}).__dataclass_fields__)


def test_the_id_comes_from_a_header_when_the_body_has_none():
    assert event_fields({}, {"X-Event-Id": "h-2"}).event_id == "h-2"
    assert event_fields({"id": "b"}, {"X-Webhook-Id": "h"}).event_id == "b"


def test_the_top_level_wins_over_data():
    assert event_fields({"email": "top@x.io", "data": {"email": "in@x.io"}}).email == "top@x.io"


def test_a_long_value_is_cut_to_its_column():
    assert len(event_fields({"id": "x" * 5000}).event_id) == 200


@pytest.mark.parametrize(
    ("name", "step"),
    [
        ("interview.started", "started"),
        ("interview.in_progress", "in_progress"),
        ("INTERVIEW_COMPLETED", "completed"),
        ("reportAvailable", "report_available"),
        ("interview.report-available", "report_available"),
        ("interview.paused", ""),
        ("", ""),
    ],
)
def test_step_names_are_read_whatever_their_spelling(name, step):
    assert interview_step(name) == step
