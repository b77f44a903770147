"""Why a candidate can no longer be edited, changed by an import or pushed, state by state."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from recruiting.locks import (
    edit_refusal,
    import_refusal,
    is_editable,
    push_refusal,
    resend_refusal,
)
from recruiting.models import Candidate

State = Candidate.State
EDITABLE = [State.NEW, State.FAILED]
LOCKED = [State.QUEUED, State.SENDING, State.SENT, State.UNCONFIRMED]


def test_every_state_is_either_editable_or_locked():
    assert sorted(EDITABLE + LOCKED) == sorted(State)


@pytest.mark.parametrize("state", EDITABLE)
def test_a_draft_nothing_of_which_is_upstream_may_be_edited_and_pushed(state: str):
    assert is_editable(state)
    assert edit_refusal(state) == ""
    assert push_refusal(state) == ""


@pytest.mark.parametrize("state", LOCKED)
def test_a_candidate_on_its_way_or_upstream_is_locked(state: str):
    assert not is_editable(state)


class Refusals(NamedTuple):
    """What staff are told about a locked candidate: editing, importing, pushing it."""

    edit: str
    import_: str
    push: str


REFUSALS = {
    State.QUEUED: Refusals(
        edit="This candidate can no longer be changed here: it is queued to be sent to "
        "InterviewFlowAI.",
        import_="Not changed: it is queued to be sent to InterviewFlowAI, so the new name "
        "and skills in this row were not applied.",
        push="It is queued to be sent to InterviewFlowAI.",
    ),
    State.SENDING: Refusals(
        edit="This candidate can no longer be changed here: it is being sent to "
        "InterviewFlowAI right now.",
        import_="Not changed: it is being sent to InterviewFlowAI right now, so the new name "
        "and skills in this row were not applied.",
        push="It is being sent to InterviewFlowAI right now.",
    ),
    State.SENT: Refusals(
        edit="This candidate can no longer be changed here: it was already sent to "
        "InterviewFlowAI, where a change made here would never arrive.",
        import_="Not changed: it was already sent to InterviewFlowAI, so the new name and "
        "skills in this row were not applied.",
        push="It was already sent to InterviewFlowAI: use Resend to send it again.",
    ),
    State.UNCONFIRMED: Refusals(
        edit="This candidate can no longer be changed here: it may already be in "
        "InterviewFlowAI (its delivery is unconfirmed), where a change made here would never "
        "arrive.",
        import_="Not changed: it may already be in InterviewFlowAI (its delivery is "
        "unconfirmed), so the new name and skills in this row were not applied.",
        push="It may already be in InterviewFlowAI (its delivery is unconfirmed): check "
        "InterviewFlowAI, then use Resend if it is missing.",
    ),
}


@pytest.mark.parametrize("state", LOCKED)
def test_edit_refusal_says_where_the_candidate_is(state: str):
    assert edit_refusal(state) == REFUSALS[state].edit


@pytest.mark.parametrize("state", LOCKED)
def test_import_refusal_names_the_changes_left_unapplied(state: str):
    assert import_refusal(state, ["name", "skills"]) == REFUSALS[state].import_


@pytest.mark.parametrize("state", LOCKED)
def test_push_refusal_says_where_the_candidate_is_and_what_to_do_instead(state: str):
    assert push_refusal(state) == REFUSALS[state].push


def test_import_refusal_of_one_change_says_it_was_not_applied():
    assert import_refusal(State.SENT, ["status"]) == (
        "Not changed: it was already sent to InterviewFlowAI, so the new status in this row "
        "was not applied."
    )


def test_import_refusal_of_three_changes_lists_them_in_words():
    refusal = import_refusal(State.QUEUED, ["name", "skills", "metadata"])
    assert "so the new name, skills and metadata in this row were not applied." in refusal


@pytest.mark.parametrize("state", Candidate.EDITABLE_STATES)
def test_import_refusal_is_empty_while_the_candidate_is_editable(state: str):
    assert import_refusal(state, ["name"]) == ""


def test_a_resend_leaves_new_and_in_flight_candidates_alone_and_sends_the_others():
    assert resend_refusal(State.NEW) == "It was never sent: use Push to InterviewFlowAI."
    assert resend_refusal(State.QUEUED) == "It is queued to be sent to InterviewFlowAI."
    assert resend_refusal(State.SENDING) == "It is being sent to InterviewFlowAI right now."
    assert resend_refusal(State.FAILED) == ""
    assert resend_refusal(State.UNCONFIRMED) == ""
