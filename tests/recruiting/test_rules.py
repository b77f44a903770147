"""The domain rules, one table per rule: each value and the message a recruiter reads."""

import pytest

from recruiting import rules
from recruiting.models import Interviewer

SCREENING_ON = {
    "neither": (False, False, None),
    "resume screening": (True, False, "Resume Screening"),
    "screening questions": (False, True, "Screening Questions"),
    "both": (True, True, "Resume Screening and Screening Questions"),
}


def interviewer(
    *, visibility: str = "public", resume_screening: bool = False, questions: bool = False
) -> Interviewer:
    return Interviewer(
        name="Backend Engineer",
        visibility=visibility,
        resume_screening=resume_screening,
        screening_questions=questions,
    )


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("alice@example.com", "alice@example.com"),
        ("Alice@Example.COM", "alice@example.com"),
        ("  bob@example.com\t", "bob@example.com"),
        ("", ""),
        (None, ""),
    ],
)
def test_emails_are_trimmed_and_lower_cased(raw, stored):
    assert rules.normalise_email(raw) == stored


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("alice@example.com", None),
        (" Alice@Example.COM ", None),
        ("", "The email address is blank."),
        ("   ", "The email address is blank."),
        ("alice", "“alice” is not a valid email address."),
        ("alice@example", "“alice@example” is not a valid email address."),
        ("alice@@example.com", "“alice@@example.com” is not a valid email address."),
    ],
)
def test_an_email_must_be_a_valid_address(email, problem):
    assert rules.email_problem(email) == problem


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Ada Lovelace", None),
        ("", "The name is blank: InterviewFlowAI rejects candidates without a name."),
        ("  ", "The name is blank: InterviewFlowAI rejects candidates without a name."),
    ],
)
def test_a_name_must_not_be_blank(name, problem):
    assert rules.name_problem(name) == problem


@pytest.mark.parametrize(
    ("skills", "problem"),
    [
        ([], None),
        (None, None),
        (["python", "aws"], None),
        ("python", 'Skills must be a list of words, for example ["python", "aws"].'),
        ({"python": 1}, 'Skills must be a list of words, for example ["python", "aws"].'),
        (["python", ""], "Every skill must be a non-blank piece of text."),
        (["python", "  "], "Every skill must be a non-blank piece of text."),
        (["python", 3], "Every skill must be a non-blank piece of text."),
        (["python", "aws", "python"], "The skill “python” is listed twice."),
        (["Python", " python "], "The skill “python” is listed twice."),
    ],
)
def test_skills_are_a_list_of_distinct_non_blank_words(skills, problem):
    assert rules.skills_problem(skills) == problem


def test_cleaning_skills_trims_and_drops_blanks_and_repeats_keeping_the_order():
    assert rules.clean_skills([" aws", "Python", "", "python", "aws ", "sql"]) == [
        "aws",
        "Python",
        "sql",
    ]


@pytest.mark.parametrize(
    ("hours", "problem"),
    [
        (None, None),
        (1, None),
        (48, None),
        (96, None),
        (0, "The invitation delay (send_email_after) must be between 1 and 96 hours, not 0."),
        (97, "The invitation delay (send_email_after) must be between 1 and 96 hours, not 97."),
        (-5, "The invitation delay (send_email_after) must be between 1 and 96 hours, not -5."),
        (1.5, "The invitation delay (send_email_after) must be a whole number of hours."),
        ("24", "The invitation delay (send_email_after) must be a whole number of hours."),
        (True, "The invitation delay (send_email_after) must be a whole number of hours."),
    ],
)
def test_the_invitation_delay_is_1_to_96_whole_hours(hours, problem):
    assert rules.send_email_after_problem(hours) == problem


@pytest.mark.parametrize(
    ("metadata", "problem"),
    [
        ({}, None),
        ({"External ID": "candidate_12345"}, None),
        ({"sendEmailAfter": 1}, None),
        ({"sendEmailAfter": 96}, None),
        ({"sendEmailAfter": 2.5}, None),
        (
            {"sendEmailAfter": 0},
            "The sendEmailAfter in the metadata must be a number of hours from 1 to 96, not 0.",
        ),
        (
            {"sendEmailAfter": 120},
            "The sendEmailAfter in the metadata must be a number of hours from 1 to 96, not 120.",
        ),
        (
            {"sendEmailAfter": "24"},
            'The sendEmailAfter in the metadata must be a number of hours from 1 to 96, not "24".',
        ),
        (
            {"sendEmailAfter": None},
            "The sendEmailAfter in the metadata must be a number of hours from 1 to 96, not null.",
        ),
        (
            {"sendEmailAfter": True},
            "The sendEmailAfter in the metadata must be a number of hours from 1 to 96, not true.",
        ),
        (
            ["External ID"],
            'The metadata must be a JSON object, for example {"External ID": "c_1"}.',
        ),
    ],
)
def test_metadata_is_an_object_whose_send_email_after_is_within_the_documented_range(
    metadata, problem
):
    assert rules.metadata_problem(metadata) == problem


@pytest.mark.parametrize("case", SCREENING_ON.values(), ids=SCREENING_ON.keys())
def test_the_shortlist_blocker_names_each_setting_that_is_on(case):
    resume_screening, questions, named = case
    blocker = rules.shortlist_blocker(
        interviewer(resume_screening=resume_screening, questions=questions)
    )
    if named is None:
        assert blocker is None
    else:
        assert blocker == (
            f"“Backend Engineer” has {named} turned on, so its candidates cannot be "
            "shortlisted: use draft, or turn the setting off in InterviewFlowAI and here."
        )


BLOCKED = (
    "“Backend Engineer” has Resume Screening turned on, so its candidates cannot be "
    "shortlisted: use draft, or turn the setting off in InterviewFlowAI and here."
)


@pytest.mark.parametrize(
    ("status", "visibility", "screening", "problem"),
    [
        ("", "public", False, None),
        ("", "private", False, None),
        ("shortlisted", "public", False, None),
        ("shortlisted", "private", False, None),
        ("draft", "public", True, None),
        ("draft", "private", True, None),
        ("shortlisted", "public", True, BLOCKED),
        ("shortlisted", "private", True, BLOCKED),
        (
            "",
            "public",
            True,
            f"A blank status means shortlisted for a public Interviewer. {BLOCKED}",
        ),
        # A private Interviewer's default is draft, which screening does not forbid.
        ("", "private", True, None),
        ("maybe", "public", False, "The status must be shortlisted, draft or blank, not “maybe”."),
        ("Draft", "public", False, "The status must be shortlisted, draft or blank, not “Draft”."),
    ],
)
def test_status_is_blank_shortlisted_or_draft_and_screening_forbids_shortlisting(
    status, visibility, screening, problem
):
    owner = interviewer(visibility=visibility, resume_screening=screening)
    assert rules.status_problem(status, owner) == problem


def test_status_without_an_interviewer_checks_only_the_value():
    assert rules.status_problem("shortlisted", None) is None
    assert rules.status_problem("later", None) == (
        "The status must be shortlisted, draft or blank, not “later”."
    )


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, None),
        ({"Manual Score": 72, "isSynced": "true"}, None),
        # Empty values are left out of the request, so they cannot be rejected.
        ([], None),
        (
            ["Manual Score"],
            'The additional fields must be a JSON object, for example {"Manual Score": 72}.',
        ),
        ("72", 'The additional fields must be a JSON object, for example {"Manual Score": 72}.'),
    ],
)
def test_additional_fields_are_an_object(fields, problem):
    assert rules.additional_fields_problem(fields) == problem


def test_an_email_with_an_accent_before_the_at_says_why_it_is_refused():
    assert rules.email_problem("josé@example.com") == (
        "“josé@example.com” is not a valid email address: letters with accents or other "
        "non-ASCII characters are not accepted before the @."
    )
    assert rules.email_problem("jose@example") == "“jose@example” is not a valid email address."


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("\u200b", "The name is blank"),
        ("Ada\x00Lovelace", "holds a control character"),
        ("Ada\nLovelace", "holds a control character"),
        ("x" * 201, "201 characters long; at most 200 fit"),
    ],
)
def test_names_need_a_visible_character_no_control_character_and_fit(name, problem):
    assert problem in rules.name_problem(name)


def test_a_name_of_two_hundred_characters_fits():
    assert rules.name_problem("x" * 200) is None


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("ada\x00@example.com", "holds a control character"),
        ("a" * 250 + "@example.com", "262 characters long; at most 254 fit"),
    ],
)
def test_emails_with_control_characters_or_too_long_are_refused(email, problem):
    assert problem in rules.email_problem(email)


def test_skills_that_are_too_long_or_hold_control_characters_are_refused():
    assert "up to 100 characters" in rules.skills_problem(["x" * 101])
    assert "control character" in rules.skills_problem(["py\x00thon"])
    assert rules.skills_problem(["x" * 100]) is None


def test_a_nul_anywhere_in_the_fields_or_metadata_is_refused():
    assert "NUL" in rules.additional_fields_problem({"Score": "7\x002"})
    assert "NUL" in rules.metadata_problem({"Ref\x00": "c_1"})
    assert "NUL" in rules.metadata_problem({"Refs": ["a", {"b": "\x00"}]})
    assert rules.metadata_problem({"Refs": ["a", {"b": "c"}]}) is None


def test_a_delay_in_the_metadata_that_disagrees_with_the_field_is_refused():
    assert rules.delay_conflict_problem(24, {"sendEmailAfter": 48}) == (
        "The invitation delay is 24 hours, but the metadata's sendEmailAfter says 48: keep one "
        "of the two."
    )
    assert rules.delay_conflict_problem(24, {"sendEmailAfter": 24}) is None
    assert rules.delay_conflict_problem(None, {"sendEmailAfter": 48}) is None


def test_a_domain_is_checked_once_and_its_verdict_kept_whichever_it_was():
    rules._domain_valid.cache_clear()

    for local in ("ann", "bob", "cid"):
        assert rules.email_problem(f"{local}@example.com") is None
        assert rules.email_problem(f"{local}@exa_mple.com") == (
            f"“{local}@exa_mple.com” is not a valid email address."
        )

    assert rules._domain_valid.cache_info()[:2] == (4, 2)  # hits, misses
