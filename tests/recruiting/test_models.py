"""Model validation (full_clean) and Candidate.problems(): each rule with its message."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError

from recruiting.models import Candidate, Interviewer
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

DUPLICATE = "Candidate with this Interviewer and Email already exists."
RESUME_SCREENING_BLOCKS = (
    "“Hiring Pipeline” has Resume Screening turned on, so its candidates cannot be "
    "shortlisted: use draft, or turn the setting off in InterviewFlowAI and here."
)
QUESTIONS_BLOCK = (
    "“Hiring Pipeline” has Screening Questions turned on, so its candidates cannot be "
    "shortlisted: use draft, or turn the setting off in InterviewFlowAI and here."
)


def validation_errors(instance) -> dict[str, list[str]]:
    """What full_clean() says about an instance: field -> messages, empty when it is valid."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def draft(**fields) -> Candidate:
    """An unsaved candidate of a saved Interviewer named "Hiring Pipeline"."""
    interviewer = fields.pop("interviewer", None) or InterviewerFactory(name="Hiring Pipeline")
    fields.setdefault("name", "Ada Lovelace")
    fields.setdefault("email", "ada@example.com")
    return CandidateFactory.build(interviewer=interviewer, **fields)


def test_a_complete_candidate_is_valid():
    candidate = draft(
        status="draft",
        skills=["python", "aws"],
        additional_fields={"Manual Score": 72, "isSynced": "true"},
        metadata={"External ID": "candidate_12345", "Phone": "+1-555-123-4567"},
        send_email_after=24,
    )
    assert validation_errors(candidate) == {}


@pytest.mark.parametrize(
    "raw", ["ada@example.com", "Ada@Example.COM", "  ada@example.com ", "\tADA@EXAMPLE.COM\n"]
)
def test_the_email_is_stored_trimmed_and_lower_cased(raw):
    candidate = draft(email=raw)
    assert validation_errors(candidate) == {}
    candidate.save()
    candidate.refresh_from_db()
    assert candidate.email == "ada@example.com"


def test_saving_without_validation_still_normalises_the_email():
    candidate = draft(email="  Ada@Example.COM ")
    candidate.save()
    candidate.refresh_from_db()
    assert candidate.email == "ada@example.com"


@pytest.mark.parametrize(
    ("email", "errors"),
    [
        ("", {"email": ["This field cannot be blank."]}),
        ("ada", {"email": ["Enter a valid email address."]}),
        ("ada@example", {"email": ["Enter a valid email address."]}),
    ],
)
def test_an_invalid_email_is_refused(email, errors):
    assert validation_errors(draft(email=email)) == errors


def test_an_email_is_unique_per_interviewer_whatever_its_case():
    existing = CandidateFactory(email="ada@example.com")
    again = draft(interviewer=existing.interviewer, email=" ADA@example.com ")
    assert validation_errors(again) == {NON_FIELD_ERRORS: [DUPLICATE]}


def test_the_database_refuses_a_second_candidate_with_the_same_email_too():
    existing = CandidateFactory(email="ada@example.com")
    with pytest.raises(IntegrityError):
        CandidateFactory(interviewer=existing.interviewer, email="Ada@Example.com")


def test_the_same_email_may_be_a_candidate_of_two_interviewers():
    CandidateFactory(email="ada@example.com")
    elsewhere = draft(interviewer=InterviewerFactory(), email="ada@example.com")
    assert validation_errors(elsewhere) == {}
    elsewhere.save()
    assert Candidate.objects.filter(email="ada@example.com").count() == 2


def test_a_blank_name_is_refused():
    assert validation_errors(draft(name="   ")) == {
        "name": ["The name is blank: InterviewFlowAI rejects candidates without a name."]
    }


LIST_OF_WORDS = 'Skills must be a list of words, for example ["python", "aws"].'
NON_BLANK = "Every skill must be a non-blank piece of text."


@pytest.mark.parametrize(
    ("skills", "errors"),
    [
        ([], {}),
        (["python", "aws"], {}),
        ("python, aws", {"skills": [LIST_OF_WORDS]}),
        (["python", ""], {"skills": [NON_BLANK]}),
        (["python", " "], {"skills": [NON_BLANK]}),
        (["python", 7], {"skills": [NON_BLANK]}),
        (["python", "Python"], {"skills": ["The skill “Python” is listed twice."]}),
    ],
)
def test_candidate_skills_are_distinct_non_blank_words(skills, errors):
    assert validation_errors(draft(skills=skills)) == errors


@pytest.mark.parametrize(
    ("skills", "errors"),
    [
        (["python", "aws"], {}),
        ("python", {"skills": [LIST_OF_WORDS]}),
        (["python", ""], {"skills": [NON_BLANK]}),
        (["aws", "aws"], {"skills": ["The skill “aws” is listed twice."]}),
    ],
)
def test_interviewer_skills_are_distinct_non_blank_words(skills, errors):
    interviewer = InterviewerFactory.build(skills=skills)
    assert validation_errors(interviewer) == errors


@pytest.mark.parametrize(
    ("hours", "errors"),
    [
        (None, {}),
        (1, {}),
        (96, {}),
        (0, {"send_email_after": ["Ensure this value is greater than or equal to 1."]}),
        (97, {"send_email_after": ["Ensure this value is less than or equal to 96."]}),
    ],
)
def test_the_invitation_delay_is_1_to_96_hours(hours, errors):
    assert validation_errors(draft(send_email_after=hours)) == errors


@pytest.mark.parametrize(
    ("field", "value"),
    [("additional_fields", ["Manual Score", 72]), ("metadata", "candidate_12345")],
)
def test_additional_fields_and_metadata_are_json_objects(field, value):
    errors = validation_errors(draft(**{field: value}))
    assert errors[field][0] == 'Enter a JSON object, for example {"Manual Score": 72}.'


def test_a_send_email_after_in_the_metadata_is_checked_like_the_field():
    assert validation_errors(draft(metadata={"sendEmailAfter": 200})) == {
        "metadata": [
            "The sendEmailAfter in the metadata must be a number of hours from 1 to 96, not 200."
        ]
    }


@pytest.mark.parametrize("status", ["", "shortlisted", "draft"])
def test_status_is_blank_shortlisted_or_draft(status):
    assert validation_errors(draft(status=status)) == {}


def test_any_other_status_is_refused():
    assert validation_errors(draft(status="maybe")) == {
        "status": [
            "Value 'maybe' is not a valid choice.",
            "The status must be shortlisted, draft or blank, not “maybe”.",
        ]
    }


@pytest.mark.parametrize(
    ("setting", "message"),
    [("resume_screening", RESUME_SCREENING_BLOCKS), ("screening_questions", QUESTIONS_BLOCK)],
)
@pytest.mark.parametrize("visibility", ["public", "private"])
def test_shortlisted_is_refused_naming_the_screening_setting_that_is_on(
    setting, message, visibility
):
    interviewer = InterviewerFactory(
        name="Hiring Pipeline", visibility=visibility, **{setting: True}
    )
    assert validation_errors(draft(interviewer=interviewer, status="shortlisted")) == {
        "status": [message]
    }
    assert validation_errors(draft(interviewer=interviewer, status="draft")) == {}


def test_both_screening_settings_on_are_both_named():
    interviewer = InterviewerFactory(
        name="Hiring Pipeline", resume_screening=True, screening_questions=True
    )
    errors = validation_errors(draft(interviewer=interviewer, status="shortlisted"))
    assert errors == {
        "status": [
            "“Hiring Pipeline” has Resume Screening and Screening Questions turned on, so its "
            "candidates cannot be shortlisted: use draft, or turn the setting off in "
            "InterviewFlowAI and here."
        ]
    }


def test_a_blank_status_on_a_public_interviewer_with_screening_on_is_refused():
    interviewer = InterviewerFactory(
        name="Hiring Pipeline", visibility=Interviewer.Visibility.PUBLIC, resume_screening=True
    )
    assert validation_errors(draft(interviewer=interviewer, status="")) == {
        "status": [
            "A blank status means shortlisted for a public Interviewer. " + RESUME_SCREENING_BLOCKS
        ]
    }


def test_a_blank_status_on_a_private_interviewer_with_screening_on_means_draft_and_is_fine():
    interviewer = InterviewerFactory(
        visibility=Interviewer.Visibility.PRIVATE, resume_screening=True, screening_questions=True
    )
    assert validation_errors(draft(interviewer=interviewer, status="")) == {}


# --- Candidate.problems(): the last check before sending --------------------------------------


def test_a_sendable_candidate_has_no_problems():
    candidate = draft(status="draft", skills=["python"], send_email_after=12)
    assert candidate.problems() == []


@pytest.mark.parametrize(
    ("fields", "interviewer_fields", "problem"),
    [
        (
            {"name": ""},
            {},
            "The name is blank: InterviewFlowAI rejects candidates without a name.",
        ),
        ({"email": ""}, {}, "The email address is blank."),
        ({"email": "ada@"}, {}, "“ada@” is not a valid email address."),
        ({"status": "shortlisted"}, {"resume_screening": True}, RESUME_SCREENING_BLOCKS),
        (
            {"status": ""},
            {"screening_questions": True},
            "A blank status means shortlisted for a public Interviewer. " + QUESTIONS_BLOCK,
        ),
        ({"status": "later"}, {}, "The status must be shortlisted, draft or blank, not “later”."),
        ({"skills": ["sql", "SQL"]}, {}, "The skill “SQL” is listed twice."),
        ({"skills": [""]}, {}, NON_BLANK),
        (
            {"send_email_after": 97},
            {},
            "The invitation delay (send_email_after) must be between 1 and 96 hours, not 97.",
        ),
        (
            {"metadata": {"sendEmailAfter": 0}},
            {},
            "The sendEmailAfter in the metadata must be a number of hours from 1 to 96, not 0.",
        ),
        (
            {"metadata": ["x"]},
            {},
            'The metadata must be a JSON object, for example {"External ID": "c_1"}.',
        ),
        (
            {"additional_fields": ["x"]},
            {},
            'The additional fields must be a JSON object, for example {"Manual Score": 72}.',
        ),
        ({}, {"active": False}, "The Interviewer “Hiring Pipeline” is inactive."),
    ],
)
def test_each_problem_is_listed_in_words(fields, interviewer_fields, problem):
    interviewer = InterviewerFactory(name="Hiring Pipeline", **interviewer_fields)
    assert draft(interviewer=interviewer, **fields).problems() == [problem]


def test_every_problem_of_a_candidate_is_listed():
    interviewer = InterviewerFactory(name="Hiring Pipeline", resume_screening=True, active=False)
    candidate = draft(
        interviewer=interviewer,
        name=" ",
        email="not-an-email",
        status="shortlisted",
        skills=["go", "go"],
        send_email_after=0,
    )
    assert candidate.problems() == [
        "The name is blank: InterviewFlowAI rejects candidates without a name.",
        "“not-an-email” is not a valid email address.",
        RESUME_SCREENING_BLOCKS,
        "The skill “go” is listed twice.",
        "The invitation delay (send_email_after) must be between 1 and 96 hours, not 0.",
        "The Interviewer “Hiring Pipeline” is inactive.",
    ]
