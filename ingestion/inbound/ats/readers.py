"""Where each kind of ATS keeps the event, the job, the stage and the candidate in its body.

One table of paths per kind (read with `inbound.paths`): the first path that holds a value
wins, so a sender that moved a field between versions is still read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ingestion.inbound.paths import first_value
from ingestion.models import AtsConnection
from recruiting import rules

Kind = AtsConnection.Kind
TEST_FLAG = "test_event"  # set by the admin's test button: matched, never written
TEXT_LIMIT = 200

# Greenhouse has the candidate inside the application, or beside it in some events.
GREENHOUSE_CANDIDATE = ("payload.application.candidate", "payload.candidate")
ASHBY_CANDIDATE = ("data.application.candidate",)


def _under(prefixes: tuple[str, ...], *names: str) -> tuple[str, ...]:
    return tuple(f"{prefix}.{name}" for name in names for prefix in prefixes)


SHAPES: dict[str, dict[str, tuple[str, ...]]] = {
    Kind.GREENHOUSE: {
        "event": ("action",),
        "job_id": ("payload.application.jobs.0.id", "payload.job.id"),
        "job_name": ("payload.application.jobs.0.name", "payload.job.name"),
        "stage_id": ("payload.application.current_stage.id",),
        "stage_name": ("payload.application.current_stage.name",),
        "name": (),
        "first_name": _under(GREENHOUSE_CANDIDATE, "first_name"),
        "last_name": _under(GREENHOUSE_CANDIDATE, "last_name"),
        "email": _under(GREENHOUSE_CANDIDATE, "email_addresses.0.value"),
        "phone": _under(GREENHOUSE_CANDIDATE, "phone_numbers.0.value"),
        "candidate_id": _under(GREENHOUSE_CANDIDATE, "id"),
        "application_id": ("payload.application.id",),
    },
    Kind.ASHBY: {
        "event": ("action",),
        "job_id": ("data.application.job.id",),
        "job_name": ("data.application.job.title", "data.application.job.name"),
        "stage_id": ("data.application.currentInterviewStage.id",),
        "stage_name": ("data.application.currentInterviewStage.title",),
        "name": _under(ASHBY_CANDIDATE, "name"),
        "first_name": (),
        "last_name": (),
        "email": _under(ASHBY_CANDIDATE, "primaryEmailAddress.value", "emailAddresses.0.value"),
        "phone": _under(ASHBY_CANDIDATE, "primaryPhoneNumber.value", "phoneNumbers.0.value"),
        "candidate_id": _under(ASHBY_CANDIDATE, "id"),
        "application_id": ("data.application.id",),
    },
    Kind.WORKABLE: {
        "event": ("event_type",),
        "job_id": ("data.job.shortcode",),
        "job_name": ("data.job.title",),
        "stage_id": (),
        "stage_name": ("data.stage",),
        "name": ("data.name",),
        "first_name": ("data.firstname",),
        "last_name": ("data.lastname",),
        "email": ("data.email",),
        "phone": ("data.phone",),
        "candidate_id": ("data.id",),
        "application_id": (),
    },
    Kind.GENERIC: {
        "event": ("event",),
        "job_id": ("job",),
        "job_name": ("job",),
        "stage_id": ("stage",),
        "stage_name": ("stage",),
        "name": ("name",),
        "first_name": ("first_name",),
        "last_name": ("last_name",),
        "email": ("email",),
        "phone": ("phone",),
        "candidate_id": ("external_id",),
        "application_id": (),
    },
}
# The events that move a candidate to a stage; None: every delivery of that kind does.
STAGE_CHANGES: dict[str, set[str] | None] = {
    Kind.GREENHOUSE: {"candidate_stage_change"},
    Kind.ASHBY: {"candidateStageChange"},
    Kind.WORKABLE: {"candidate_moved"},
    Kind.GENERIC: None,
}
PINGS = {"ping"}
# Where the sender names the event itself; without one, a hash of the body does.
EVENT_ID_HEADERS = {Kind.GREENHOUSE: "Greenhouse-Event-ID"}
EVENT_ID_PATHS = {Kind.WORKABLE: ("id",), Kind.GENERIC: ("event_id",)}


@dataclass(frozen=True)
class AtsEvent:
    kind: str
    event: str = ""
    job_id: str = ""
    job_name: str = ""
    stage_id: str = ""
    stage_name: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""
    candidate_id: str = ""
    application_id: str = ""
    skills: list[str] = field(default_factory=list)
    additional: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    test: bool = False

    @property
    def is_ping(self) -> bool:
        return self.event in PINGS

    @property
    def is_stage_change(self) -> bool:
        changes = STAGE_CHANGES[self.kind]
        return changes is None or self.event in changes

    @property
    def job(self) -> str:
        return self.job_name or self.job_id

    @property
    def stage(self) -> str:
        return self.stage_name or self.stage_id


def event_read(*, kind: str, body: dict[str, Any]) -> AtsEvent:
    """The event in a body of this kind; what the body lacks is left blank."""
    values = {name: _text(first_value(body, paths)) for name, paths in SHAPES[kind].items()}
    first, last = values.pop("first_name"), values.pop("last_name")
    values["name"] = values["name"] or " ".join(part for part in (first, last) if part)
    extras = _generic_extras(body) if kind == Kind.GENERIC else {}
    return AtsEvent(kind=kind, test=body.get(TEST_FLAG) is True, **values, **extras)


def event_id_read(*, kind: str, body: dict[str, Any], headers: Mapping[str, str]) -> str:
    """The sender's id for the event, from its header or its body; blank when it gives none."""
    if (header := EVENT_ID_HEADERS.get(kind)) and (found := headers.get(header, "").strip()):
        return found[:TEXT_LIMIT]
    return _text(first_value(body, EVENT_ID_PATHS.get(kind, ())))[:TEXT_LIMIT]


def _generic_extras(body: dict[str, Any]) -> dict[str, Any]:
    """Skills, additional fields and metadata, which only the documented shape carries."""
    problems = []
    objects = {}
    for key, name in (("additional_fields", "additional"), ("metadata", "metadata")):
        value = body.get(key) or {}
        if not isinstance(value, dict):
            problems.append(f"“{key}” must be a JSON object of names and values.")
            value = {}
        objects[name] = value
    skills = body.get("skills") or []
    if isinstance(skills, str):
        skills = rules.split_skills(skills)
    elif not isinstance(skills, list):
        problems.append("“skills” must be a list of words or one text separated by commas.")
        skills = []
    return {"skills": [_text(skill) for skill in skills], "problems": problems, **objects}


def _text(value: Any) -> str:
    """A scalar as trimmed text; objects and lists read as blank."""
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()
