"""Find the one Interviewer a person means, whether they give its id, interviewer id or name."""

from __future__ import annotations

import uuid

from recruiting.models import Interviewer


class InterviewerNotFound(ValueError):
    """No Interviewer, or more than one, answers to the value given; the message says which."""


def interviewer_from_option(value: str) -> Interviewer:
    """Digits are a primary key, a UUID is an interviewer id, anything else an exact name."""
    value = value.strip()
    if value.isdigit():
        found = Interviewer.objects.filter(pk=int(value))
    else:
        try:
            found = Interviewer.objects.filter(external_id=uuid.UUID(value))
        except ValueError:
            found = Interviewer.objects.filter(name__iexact=value)
    # Two are enough to know the name is ambiguous; counting them all is only for the message.
    matches = list(found[:2])
    if not matches:
        raise InterviewerNotFound(not_found_message(value))
    if len(matches) > 1:
        raise InterviewerNotFound(several_message(value, found.count()))
    return matches[0]


def not_found_message(value: str) -> str:
    return f"No Interviewer has the id or name “{value}”."


def several_message(name: str, count: int) -> str:
    return (
        f"{count} Interviewers are called “{name}”: give the interviewer id shown in "
        "InterviewFlowAI instead of the name."
    )
