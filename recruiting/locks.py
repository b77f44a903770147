"""Which candidates staff may still change or push, and why not, in words.

A candidate is a draft staff may edit while nothing of it is in InterviewFlowAI or on its
way there (`Candidate.EDITABLE_STATES`); a plain push takes exactly those. The admin's
change page, the import, the push preview and the push messages all say why from here.
"""

from __future__ import annotations

from recruiting.models import Candidate
from recruiting.wording import listed

State = Candidate.State

# Where a candidate that can no longer be changed is, said of one candidate.
WHERE = {
    State.QUEUED: "it is queued to be sent to InterviewFlowAI",
    State.SENDING: "it is being sent to InterviewFlowAI right now",
    State.SENT: "it was already sent to InterviewFlowAI",
    State.UNCONFIRMED: "it may already be in InterviewFlowAI (its delivery is unconfirmed)",
}
# What staff can do instead of a plain push, where there is something to do.
PUSH_STEPS = {
    State.SENT: "use Resend to send it again",
    State.UNCONFIRMED: "check InterviewFlowAI, then use Resend if it is missing",
}
# States in which the candidate may exist upstream: a change made here would never arrive.
MAY_EXIST_UPSTREAM = (State.SENT, State.UNCONFIRMED)


def is_editable(state: str) -> bool:
    return state in Candidate.EDITABLE_STATES


def edit_refusal(state: str) -> str:
    """Why a candidate in this state can no longer be changed, or "" while it can."""
    if is_editable(state):
        return ""
    never = ", where a change made here would never arrive" if state in MAY_EXIST_UPSTREAM else ""
    return f"This candidate can no longer be changed here: {WHERE[state]}{never}."


def import_refusal(state: str, changes: list[str]) -> str:
    """Why an import row's changes were not applied to a candidate in this state, or ""."""
    if is_editable(state):
        return ""
    verb = "was" if len(changes) == 1 else "were"
    what = listed(changes)
    return f"Not changed: {WHERE[state]}, so the new {what} in this row {verb} not applied."


def resend_refusal(state: str) -> str:
    """Why a resend leaves a candidate in this state alone, or "" when it would send it."""
    if state == State.NEW:
        return "It was never sent: use Push to InterviewFlowAI."
    if state == State.SENT:
        # Sent candidates are resent, unless one was sent since staff chose it.
        return "It was sent again since this page was shown: it is not sent a third time."
    if state in (State.QUEUED, State.SENDING):
        return push_refusal(state)
    return ""


def where_now(state: str) -> str:
    """Where a candidate that can no longer be changed is, as a sentence."""
    where = WHERE[state]
    return f"{where[0].upper()}{where[1:]}."


def push_refusal(state: str) -> str:
    """Why a plain push leaves a candidate in this state alone, or "" when it would send it."""
    if is_editable(state):
        return ""
    sentence = where_now(state)
    if state in PUSH_STEPS:
        sentence = f"{sentence[:-1]}: {PUSH_STEPS[state]}."
    return sentence
