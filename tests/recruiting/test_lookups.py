"""One rule finds the Interviewer that a command's --interviewer or an import's column names."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruiting.lookups import InterviewerIndex, InterviewerNotFound, interviewer_from_option
from recruiting.models import Candidate, Interviewer
from tests.factories import InterviewerFactory
from tests.fixtures import run_import

pytestmark = pytest.mark.django_db


def file_naming(*interviewers: str) -> bytes:
    """A spreadsheet with one candidate row for each interviewer cell given."""
    rows = (f"Person {n},person{n}@example.com,{cell}\n" for n, cell in enumerate(interviewers))
    return ("name,email,interviewer\n" + "".join(rows)).encode()


def from_import_column(value: str) -> Interviewer:
    """The Interviewer a one-row import finds for this interviewer cell, refused as it says."""
    result = run_import(file_naming(value))
    if refusals := [note.message for note in result.problems if note.column == "interviewer"]:
        raise InterviewerNotFound(*refusals)
    return Candidate.objects.get().interviewer


@pytest.fixture(params=["command option", "import column"])
def find(request: pytest.FixtureRequest) -> Callable[[str], Interviewer]:
    return interviewer_from_option if request.param == "command option" else from_import_column


@pytest.mark.parametrize(
    "given",
    [
        lambda interviewer: str(interviewer.pk),
        lambda interviewer: str(interviewer.external_id),
        lambda interviewer: str(interviewer.external_id).upper(),
        lambda interviewer: "  site reliability ENGINEER ",
        lambda interviewer: "Site   Reliability  engineer",
    ],
    ids=["id", "interviewer id", "interviewer id in capitals", "name in any case", "name spaced"],
)
def test_an_interviewer_is_found_by_id_interviewer_id_or_name(find, given):
    chosen = InterviewerFactory(name="Site Reliability Engineer")
    InterviewerFactory(name="Data Engineer")

    assert find(given(chosen)) == chosen


def test_digits_are_read_as_an_id_even_when_an_interviewer_has_them_as_its_name(find):
    other = InterviewerFactory()
    InterviewerFactory(name=str(other.pk))

    assert find(str(other.pk)) == other


def test_digits_that_are_no_interviewer_s_id_are_read_as_a_name(find):
    named = InterviewerFactory(name="90210")
    assert not Interviewer.objects.filter(pk=90210).exists()

    assert find("90210") == named


@pytest.mark.parametrize(
    "unknown", [str(uuid.uuid4()), "90210", "Data Scientist"], ids=["uuid", "digits", "name"]
)
def test_an_unknown_value_is_refused_in_words(find, unknown):
    InterviewerFactory(name="Data Engineer")

    with pytest.raises(InterviewerNotFound) as refused:
        find(unknown)

    assert str(refused.value) == f"No Interviewer has the id or name “{unknown}”."


def test_a_name_two_interviewers_share_is_refused_asking_for_the_interviewer_id(find):
    InterviewerFactory(name="Backend Engineer")
    InterviewerFactory(name="backend  engineer")

    with pytest.raises(InterviewerNotFound) as refused:
        find("Backend Engineer")

    assert str(refused.value) == (
        "2 Interviewers are called “Backend Engineer”: give the interviewer id shown in "
        "InterviewFlowAI instead of the name."
    )


def test_the_index_loads_the_interviewers_once_and_answers_every_value_from_them(
    django_assert_num_queries,
):
    chosen = InterviewerFactory(name="Data Engineer")

    with django_assert_num_queries(1):
        index = InterviewerIndex()
        found = {index.find(value) for value in (str(chosen.pk), "data engineer", "DATA ENGINEER")}
        with pytest.raises(InterviewerNotFound):
            index.find("Nobody")

    assert found == {chosen}


def test_an_import_does_not_query_interviewers_row_by_row():
    chosen = InterviewerFactory(name="Data Engineer")
    spellings = [str(chosen.pk), str(chosen.external_id), "data engineer"]

    def queries(rows: int) -> int:
        cells = [spellings[n % len(spellings)] for n in range(rows)]
        with CaptureQueriesContext(connection) as captured:
            result = run_import(file_naming(*cells), dry_run=True)
        assert result.invalid == 0
        return len(captured)

    assert queries(300) == queries(2)


def test_the_refusal_is_a_value_error():
    assert issubclass(InterviewerNotFound, ValueError)
