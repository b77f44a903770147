"""Find the one Interviewer a person means, whether they give its id, interviewer id or name."""

from __future__ import annotations

import uuid

from recruiting.models import Interviewer


class InterviewerNotFound(ValueError):
    """No Interviewer, or more than one, answers to the value given; the message says which."""


class InterviewerIndex:
    """Every Interviewer, loaded once, to find the one that each of many values means.

    One rule serves a command's --interviewer and a spreadsheet's interviewer column: a UUID
    is the InterviewFlowAI interviewer id; digits are the admin's id when an Interviewer has
    it, and a name otherwise; anything else is a name, compared without case and with runs
    of spaces folded. A name that several Interviewers share is refused, not guessed.
    """

    def __init__(self) -> None:
        self._by_pk: dict[int, Interviewer] = {}
        self._by_external_id: dict[uuid.UUID, Interviewer] = {}
        self._by_name: dict[str, list[Interviewer]] = {}
        for interviewer in Interviewer.objects.all():
            self._by_pk[interviewer.pk] = interviewer
            self._by_external_id[interviewer.external_id] = interviewer
            self._by_name.setdefault(_name_key(interviewer.name), []).append(interviewer)
        # A file names the same few Interviewers on many rows: match each value once.
        self._found: dict[str, Interviewer | str] = {}

    def find(self, value: str) -> Interviewer:
        """The one Interviewer the value means; raise InterviewerNotFound saying why not."""
        if value not in self._found:
            self._found[value] = self._match(value.strip())
        found = self._found[value]
        if isinstance(found, str):
            raise InterviewerNotFound(found)
        return found

    def _match(self, value: str) -> Interviewer | str:
        """The Interviewer the value means, or the message refusing it."""
        matches = self._matches(value)
        if len(matches) == 1:
            return matches[0]
        if matches:
            return several_message(value, len(matches))
        return not_found_message(value)

    def _matches(self, value: str) -> list[Interviewer]:
        if (external_id := _as_uuid(value)) is not None:
            found = self._by_external_id.get(external_id)
            return [found] if found else []
        # isdecimal, not isdigit: int() reads every decimal digit but not "²".
        if value.isdecimal() and (found := self._by_pk.get(int(value))):
            return [found]
        return self._by_name.get(_name_key(value), [])


def interviewer_from_option(value: str) -> Interviewer:
    """The one Interviewer a command option names, by the rule of InterviewerIndex."""
    return InterviewerIndex().find(value)


def not_found_message(value: str) -> str:
    return f"No Interviewer has the id or name “{value}”."


def several_message(name: str, count: int) -> str:
    return (
        f"{count} Interviewers are called “{name}”: give the interviewer id shown in "
        "InterviewFlowAI instead of the name."
    )


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())
