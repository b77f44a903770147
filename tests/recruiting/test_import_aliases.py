"""Headers read by aliases, and the mappings that choose for them."""

from __future__ import annotations

import json

import pytest

from recruiting.imports.aliases import closest_headers, header_key
from recruiting.imports.columns import map_columns
from recruiting.imports.mapping import ColumnMapping, mapping_from_json
from recruiting.imports.messages import import_messages
from recruiting.imports.results import ColumnsError
from recruiting.imports.rows import first_address
from recruiting.models import Candidate
from tests.factories import InterviewerFactory
from tests.fixtures import run_import


@pytest.mark.parametrize(
    ("header", "key"),
    [(" É-Mail Address ", "emailaddress"), ("First_Name", "firstname"), ("E.MAIL 1", "email1")],
)
def test_headers_are_compared_without_case_accents_spaces_or_punctuation(header, key):
    assert header_key(header) == key


def test_two_columns_meaning_the_email_give_it_to_the_likelier_one():
    columns = map_columns(["Name", "Personal Email", "Email"])

    assert columns.fields["email"] == 2
    assert columns.metadata == [("Personal Email", 1)]


def test_first_and_last_names_are_left_alone_when_there_is_a_name_column():
    columns = map_columns(["Name", "First Name", "Email"])

    assert "first_name" not in columns.fields
    assert columns.ignored == ["First Name"]


def test_a_last_name_alone_is_enough_for_the_name():
    assert map_columns(["Surname", "E-mail"]).fields == {"last_name": 0, "email": 1}


def test_a_chosen_target_that_another_column_names_is_refused():
    with pytest.raises(ColumnsError, match="“email” and “Mail 2”, are both read as “email”"):
        map_columns(["name", "email", "Mail 2"], ColumnMapping.of({"Mail 2": "email"}, {}))


def test_the_closest_headers_leave_out_unrelated_ones():
    assert closest_headers(["Contact Mail", "Notes", "Phone"], "email") == ["Contact Mail"]


@pytest.mark.parametrize(
    ("cell", "email", "noted"),
    [
        ("a@x.com; b@y.com", "a@x.com", True),
        ("a@x.com,b@y.com c@z.com", "a@x.com", True),
        ("a@x.com", "a@x.com", False),
        ("a@b@c", "a@b@c", False),  # one bad address, refused as it is
    ],
)
def test_the_first_of_several_addresses_is_taken_and_said(cell, email, noted):
    taken, note = first_address(cell)
    assert taken == email
    assert bool(note) == noted


@pytest.mark.django_db
def test_ids_stay_text_when_aliased_and_numbers_as_today_under_our_own_header():
    backend = InterviewerFactory()
    content = b"Name,Email,Candidate ID,metadata:Rank\nAda,ada@example.com,4521,7\n"

    result = run_import(content, interviewer=backend)

    assert result.written
    assert Candidate.objects.get().metadata == {"External ID": "4521", "Rank": 7}


@pytest.mark.django_db
def test_several_addresses_are_noted_in_the_preview_and_the_messages():
    backend = InterviewerFactory()
    content = b'Name,Emails\nAda,"ada@example.com, ada@old.example"\n'

    result = run_import(content, interviewer=backend, dry_run=True)

    assert result.preview[0].email == "ada@example.com"
    assert result.preview[0].notes == [
        "email: 2 addresses in one cell: took ada@example.com, left out ada@old.example."
    ]
    assert (
        "warning",
        "Several addresses in one email cell: the first was taken, the others left out (row 2).",
    ) in import_messages(result, dry_run=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"columns": {"A": "password"}, "statuses": {}}),
        json.dumps({"columns": {"A": "name"}, "statuses": {"Applied": "hired"}}),
        json.dumps({"columns": {"A": "metadata:" + "k" * 101}, "statuses": {}}),
        json.dumps({"columns": {}, "statuses": {}, "interviewer": 999}),
        json.dumps({"columns": {}, "statuses": {}, "interviewer": True}),
        json.dumps({"columns": ["name"], "statuses": {}}),
        "x" * 100_001,
    ],
)
def test_a_mapping_sent_back_by_a_page_is_checked(text):
    with pytest.raises(ValueError, match="map the columns again"):
        mapping_from_json(text)


@pytest.mark.django_db
def test_a_mapping_reads_back_as_it_was_sent():
    backend = InterviewerFactory()
    mapping = ColumnMapping.of({"Who": "name"}, {"Phone Screen": "shortlisted"}, "S", backend)

    again = mapping_from_json(mapping.as_json())

    assert again == mapping
    assert again.choice(" WHO ") == "name" and again.status("phone-screen") == "shortlisted"
