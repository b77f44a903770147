"""Request bodies, compared whole with the JSON they must be: no database, no HTTP."""

import json
import uuid
from typing import Any

import pytest

from ingestion import payloads
from recruiting.models import Candidate, Interviewer
from tests.documented import DOCUMENTED_EXAMPLE, INTERVIEWER_ID
from tests.factories import CandidateFactory, InterviewerFactory


def interviewer(pk: int = 1, **fields: Any) -> Interviewer:
    """An unsaved Interviewer; its primary key tells groups apart without a database."""
    fields.setdefault("external_id", uuid.UUID(INTERVIEWER_ID))
    fields.setdefault("name", "Backend Engineer")
    fields.setdefault("skills", [])
    return InterviewerFactory.build(pk=pk, **fields)


def candidate(owner: Interviewer | None = None, **fields: Any) -> Candidate:
    fields.setdefault("name", "John Doe")
    fields.setdefault("email", "john.doe@example.com")
    return CandidateFactory.build(interviewer=owner or interviewer(), **fields)


def assert_same_json(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Equal as JSON text too, so that 72 != 72.0, True != 1 and "72" != 72."""
    assert actual == expected
    assert json.dumps(actual, sort_keys=True) == json.dumps(expected, sort_keys=True)


# --- The documentation's own example ----------------------------------------------------------


def documented_candidate() -> Candidate:
    return candidate(
        interviewer(skills=["nodejs", "aws", "mongodb"]),
        status="shortlisted",
        additional_fields={"Manual Score": 72, "isSynced": "true"},
        metadata={"External ID": "candidate_12345", "Phone": "+1-555-123-4567"},
    )


def test_the_documentations_example_is_built_exactly():
    john = documented_candidate()
    body = payloads.ingestion_body(
        interviewer=john.interviewer,
        status="shortlisted",
        skills=["nodejs", "aws", "mongodb"],
        candidates=[john],
    )
    assert_same_json(body, DOCUMENTED_EXAMPLE)


def test_the_documentations_example_is_what_a_batch_of_that_candidate_sends():
    assert_same_json(payloads.batch_body([documented_candidate()]), DOCUMENTED_EXAMPLE)


# --- One candidate: every optional field present and absent -----------------------------------

MINIMAL = {"name": "John Doe", "email": "john.doe@example.com"}

ITEMS = {
    "only name and email": ({}, [], MINIMAL),
    "own skills": ({"skills": ["go", "sql"]}, [], {**MINIMAL, "skills": ["go", "sql"]}),
    "blank skills take the interviewer's": ({}, ["python"], {**MINIMAL, "skills": ["python"]}),
    "own skills win over the interviewer's": (
        {"skills": ["go"]},
        ["python"],
        {**MINIMAL, "skills": ["go"]},
    ),
    "empty additional fields and metadata are left out": (
        {"additional_fields": {}, "metadata": {}},
        [],
        MINIMAL,
    ),
    "additional fields keep their types": (
        {
            "additional_fields": {
                "Manual Score": 72,
                "Weight": 0.5,
                "isSynced": "true",
                "Reviewed": False,
                "Employee No": "000123",
                "Notes": None,
            }
        },
        [],
        {
            **MINIMAL,
            "additionalFields": {
                "Manual Score": 72,
                "Weight": 0.5,
                "isSynced": "true",
                "Reviewed": False,
                "Employee No": "000123",
                "Notes": None,
            },
        },
    ),
    "metadata alone": (
        {"metadata": {"External ID": "candidate_12345", "Phone": "+1-555-123-4567"}},
        [],
        {**MINIMAL, "metadata": {"External ID": "candidate_12345", "Phone": "+1-555-123-4567"}},
    ),
    "send_email_after alone makes the metadata": (
        {"send_email_after": 24},
        [],
        {**MINIMAL, "metadata": {"sendEmailAfter": 24}},
    ),
    "send_email_after merged into the metadata": (
        {"metadata": {"External ID": "c_1"}, "send_email_after": 1},
        [],
        {**MINIMAL, "metadata": {"External ID": "c_1", "sendEmailAfter": 1}},
    ),
    "send_email_after wins over one typed in the metadata": (
        {"metadata": {"sendEmailAfter": 5}, "send_email_after": 96},
        [],
        {**MINIMAL, "metadata": {"sendEmailAfter": 96}},
    ),
    "everything": (
        {
            "skills": ["nodejs"],
            "additional_fields": {"Manual Score": 72},
            "metadata": {"Phone": "+1-555-0100"},
            "send_email_after": 48,
        },
        ["python"],
        {
            **MINIMAL,
            "skills": ["nodejs"],
            "additionalFields": {"Manual Score": 72},
            "metadata": {"Phone": "+1-555-0100", "sendEmailAfter": 48},
        },
    ),
}


@pytest.mark.parametrize(("fields", "interviewer_skills", "expected"), ITEMS.values(), ids=ITEMS)
def test_a_candidate_item_carries_exactly_its_fields(fields, interviewer_skills, expected):
    item = payloads.candidate_item(candidate(interviewer(skills=interviewer_skills), **fields))
    assert_same_json(item, expected)


def test_building_an_item_leaves_the_candidates_metadata_alone():
    john = candidate(metadata={"External ID": "c_1"}, send_email_after=24)
    payloads.candidate_item(john)
    assert john.metadata == {"External ID": "c_1"}


# --- Whole bodies: effective status and skills ------------------------------------------------

BODIES = {
    "public interviewer, blank status: shortlisted": (
        {"visibility": "public"},
        {"status": ""},
        {"status": "shortlisted"},
    ),
    "private interviewer, blank status: draft": (
        {"visibility": "private"},
        {"status": ""},
        {"status": "draft"},
    ),
    "public interviewer, draft chosen": (
        {"visibility": "public"},
        {"status": "draft"},
        {"status": "draft"},
    ),
    "private interviewer, shortlisted chosen": (
        {"visibility": "private"},
        {"status": "shortlisted"},
        {"status": "shortlisted"},
    ),
    "blank skills: the interviewer's, at the top and in the item": (
        {"skills": ["python", "django"]},
        {"status": "draft"},
        {"status": "draft", "skills": ["python", "django"], "item_skills": ["python", "django"]},
    ),
    "own skills: the candidate's, at the top and in the item": (
        {"skills": ["python", "django"]},
        {"status": "draft", "skills": ["go"]},
        {"status": "draft", "skills": ["go"], "item_skills": ["go"]},
    ),
}


@pytest.mark.parametrize(("owner", "fields", "effective"), BODIES.values(), ids=BODIES)
def test_a_batch_body_sends_the_effective_status_and_skills(owner, fields, effective):
    john = candidate(interviewer(**owner), **fields)
    expected: dict[str, Any] = {"interviewerId": INTERVIEWER_ID, "status": effective["status"]}
    item = dict(MINIMAL)
    if "skills" in effective:
        expected["skills"] = effective["skills"]
        item["skills"] = effective["item_skills"]
    expected["data"] = [item]
    assert_same_json(payloads.batch_body([john]), expected)


def test_status_is_always_sent_and_top_level_skills_only_when_there_are_some():
    body = payloads.ingestion_body(
        interviewer=interviewer(), status="draft", skills=[], candidates=[candidate()]
    )
    assert_same_json(body, {"interviewerId": INTERVIEWER_ID, "status": "draft", "data": [MINIMAL]})


def test_a_batch_carries_every_candidate_in_order():
    owner = interviewer(skills=["python"])
    batch = [
        candidate(owner, name="Ada Lovelace", email="ada@example.com"),
        candidate(owner, name="Alan Turing", email="alan@example.com", send_email_after=2),
    ]
    assert_same_json(
        payloads.batch_body(batch),
        {
            "interviewerId": INTERVIEWER_ID,
            "status": "shortlisted",
            "skills": ["python"],
            "data": [
                {"name": "Ada Lovelace", "email": "ada@example.com", "skills": ["python"]},
                {
                    "name": "Alan Turing",
                    "email": "alan@example.com",
                    "skills": ["python"],
                    "metadata": {"sendEmailAfter": 2},
                },
            ],
        },
    )


# --- Batching ---------------------------------------------------------------------------------


def names(groups: list[list[Candidate]]) -> list[list[str]]:
    return [[c.name for c in group] for group in groups]


def test_candidates_are_grouped_by_interviewer():
    first, second = interviewer(1), interviewer(2, external_id=uuid.uuid4())
    group = [candidate(first, name="A"), candidate(second, name="B"), candidate(first, name="C")]
    assert names(payloads.batches(group, size=100)) == [["A", "C"], ["B"]]


def test_candidates_are_grouped_by_effective_status():
    public = interviewer(visibility="public")
    group = [
        candidate(public, name="blank", status=""),
        candidate(public, name="draft", status="draft"),
        candidate(public, name="shortlisted", status="shortlisted"),
    ]
    # A blank status on a public Interviewer is shortlisted: it travels with "shortlisted".
    assert names(payloads.batches(group, size=100)) == [["blank", "shortlisted"], ["draft"]]


def test_candidates_are_grouped_by_effective_skills():
    owner = interviewer(skills=["python", "aws"])
    group = [
        candidate(owner, name="blank", skills=[]),
        candidate(owner, name="go", skills=["go"]),
        candidate(owner, name="same as the interviewer's", skills=["python", "aws"]),
        candidate(owner, name="go again", skills=["go"]),
    ]
    assert names(payloads.batches(group, size=100)) == [
        ["blank", "same as the interviewer's"],
        ["go", "go again"],
    ]


@pytest.mark.parametrize(
    ("count", "size", "sizes"),
    [(1, 100, [1]), (5, 2, [2, 2, 1]), (4, 2, [2, 2]), (3, 1, [1, 1, 1]), (0, 10, [])],
)
def test_groups_are_cut_to_the_batch_size(count, size, sizes):
    owner = interviewer()
    group = [candidate(owner, name=str(n), email=f"c{n}@example.com") for n in range(count)]
    result = payloads.batches(group, size=size)
    assert [len(batch) for batch in result] == sizes
    assert [c.name for batch in result for c in batch] == [str(n) for n in range(count)]


def test_groups_and_sizes_combine():
    first, second = interviewer(1), interviewer(2, external_id=uuid.uuid4())
    group = [candidate(first, name=f"a{n}") for n in range(3)]
    group += [candidate(second, name=f"b{n}") for n in range(3)]
    group += [candidate(first, name=f"d{n}", status="draft") for n in range(2)]
    assert names(payloads.batches(group, size=2)) == [
        ["a0", "a1"],
        ["a2"],
        ["b0", "b1"],
        ["b2"],
        ["d0", "d1"],
    ]


@pytest.mark.parametrize("size", [0, -1])
def test_a_batch_size_below_one_is_refused_rather_than_sending_nothing(size):
    with pytest.raises(ValueError, match="at least 1"):
        payloads.batches([candidate()], size=size)


def test_each_batch_body_has_its_groups_status_and_skills():
    owner = interviewer(skills=["python"])
    group = [
        candidate(owner, name="A", status="draft"),
        candidate(owner, name="B", skills=["go"]),
        candidate(owner, name="C"),
    ]
    bodies = [payloads.batch_body(batch) for batch in payloads.batches(group, size=100)]
    assert [(b["status"], b["skills"], [i["name"] for i in b["data"]]) for b in bodies] == [
        ("draft", ["python"], ["A"]),
        ("shortlisted", ["go"], ["B"]),
        ("shortlisted", ["python"], ["C"]),
    ]


# --- What is built passes the sandbox's validator -------------------------------------------------


def built_bodies() -> dict[str, dict[str, Any]]:
    bodies = {"documented example": payloads.batch_body([documented_candidate()])}
    for case, (fields, interviewer_skills, _) in ITEMS.items():
        bodies[case] = payloads.batch_body(
            [candidate(interviewer(skills=interviewer_skills), **fields)]
        )
    for case, (owner, fields, _) in BODIES.items():
        bodies[case] = payloads.batch_body([candidate(interviewer(**owner), **fields)])
    return bodies


@pytest.mark.parametrize("body", built_bodies().values(), ids=built_bodies())
def test_every_built_body_passes_the_sandboxs_validation(body):
    assert payloads.body_errors(body) == {}
    assert payloads.body_errors(json.loads(json.dumps(body))) == {}
