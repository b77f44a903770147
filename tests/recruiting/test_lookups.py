"""The Interviewer a command option names: by id, by interviewer id, or by its one name."""

import uuid

import pytest

from recruiting.lookups import InterviewerNotFound, interviewer_from_option
from tests.factories import InterviewerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "given",
    [
        lambda interviewer: str(interviewer.pk),
        lambda interviewer: str(interviewer.external_id),
        lambda interviewer: str(interviewer.external_id).upper(),
        lambda interviewer: "  site reliability ENGINEER ",
    ],
    ids=["id", "interviewer id", "interviewer id in capitals", "name in any case"],
)
def test_an_interviewer_is_found_by_id_interviewer_id_or_name(given):
    chosen = InterviewerFactory(name="Site Reliability Engineer")
    InterviewerFactory(name="Data Engineer")

    assert interviewer_from_option(given(chosen)) == chosen


def test_digits_are_read_as_an_id_even_when_an_interviewer_has_them_as_its_name():
    other = InterviewerFactory()
    InterviewerFactory(name=str(other.pk))

    assert interviewer_from_option(str(other.pk)) == other


def test_an_unknown_value_is_refused_in_words():
    InterviewerFactory(name="Data Engineer")

    with pytest.raises(InterviewerNotFound) as refused:
        interviewer_from_option(str(uuid.uuid4()))

    assert str(refused.value).startswith("No Interviewer has the id or name “")


def test_a_name_two_interviewers_share_is_refused_asking_for_the_interviewer_id():
    InterviewerFactory(name="Backend Engineer")
    InterviewerFactory(name="backend engineer")

    with pytest.raises(InterviewerNotFound) as refused:
        interviewer_from_option("Backend Engineer")

    assert str(refused.value) == (
        "2 Interviewers are called “Backend Engineer”: give the interviewer id shown in "
        "InterviewFlowAI instead of the name."
    )


def test_the_refusal_is_a_value_error():
    assert issubclass(InterviewerNotFound, ValueError)
