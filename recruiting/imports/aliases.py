"""Headers as applicant tracking systems and hand-made sheets write them, read as ours.

Headers are compared by `header_key`: without case, accents, spaces or punctuation, so
“E-mail”, “EMAIL” and “É-mail” all read as “email”. Each alias names a target in the
import's own header syntax.
"""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher

from recruiting.imports.targets import ADDITIONAL_PREFIX, METADATA_PREFIX

# Each target's aliases, the likeliest first: when two columns of a file mean the same
# target, the one with the earlier alias takes it.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "fullname",
        "candidatename",
        "candidate",
        "candidatefullname",
        "applicantname",
        "applicant",
        "contactname",
    ),
    "first_name": ("firstname", "givenname", "forename", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "email": (
        "email",
        "emailaddress",
        "candidateemail",
        "candidateemailaddress",
        "personalemail",
        "primaryemail",
        "email1",
        "emails",
        "emailaddresses",
        "applicantemail",
        "workemail",
        "mail",
    ),
    "status": ("status",),
    "skills": ("skills", "skill", "skillset"),
    "interviewer": ("interviewer", "interviewerid"),
    "send_email_after": ("sendemailafter",),
    METADATA_PREFIX + "Phone": (
        "phone",
        "phonenumber",
        "phones",
        "mobile",
        "mobilephone",
        "mobilenumber",
        "cellphone",
        "telephone",
        "phone1",
        "candidatephone",
    ),
    METADATA_PREFIX + "External ID": (
        "candidateid",
        "applicationid",
        "atsid",
        "externalid",
        "applicantid",
        "opportunityid",
        "profileid",
        "contactid",
        "id",
    ),
    ADDITIONAL_PREFIX + "Score": ("score", "rating", "overallscore", "candidatescore"),
}
# An ATS's ids and phone numbers stay text, every row alike: 4521 as much as 00123.
IDENTIFIERS = frozenset({METADATA_PREFIX + "Phone", METADATA_PREFIX + "External ID"})
# Kept as metadata under the file's own header: “Current Stage” becomes metadata:Current Stage.
OWN_HEADER_METADATA = frozenset(
    {
        "stage",
        "currentstage",
        "applicationstage",
        "pipelinestage",
        "source",
        "sources",
        "origin",
        "candidatesource",
        "job",
        "jobs",
        "jobname",
        "jobtitle",
        "jobid",
        "posting",
        "requisition",
        "linkedin",
        "linkedinurl",
        "linkedinprofile",
        "linkedinprofileurl",
    }
)
CLOSE_ENOUGH = 0.6  # how alike a header and an alias must be to be named as a candidate
CLOSEST_NAMED = 3
BY_KEY = {
    alias: (rank, target) for target, keys in ALIASES.items() for rank, alias in enumerate(keys)
}


def header_key(text: str) -> str:
    """A header without case, accents, spaces or punctuation: “E-Mail ” reads as “email”."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


# The stages ATSs name most, as `header_key`s, and the status each is proposed as: early
# stages fill in the application form first, screening stages go straight to the interview.
STAGE_STATUSES: dict[str, str] = {
    **dict.fromkeys(
        ("applied", "new", "lead", "newlead", "newapplicant", "sourced", "applicationreview"),
        "draft",
    ),
    **dict.fromkeys(
        (
            "phonescreen",
            "screening",
            "screen",
            "recruiterscreen",
            "phoneinterview",
            "aiinterview",
            "shortlisted",
        ),
        "shortlisted",
    ),
}


def alias_target(header: str) -> tuple[int, str] | None:
    """The target a header means by the aliases, with its rank (lower wins); None if none."""
    key = header_key(header)
    if key in BY_KEY:
        return BY_KEY[key]
    if key in OWN_HEADER_METADATA:
        return 0, METADATA_PREFIX + header.strip()
    return None


def closest_headers(header: list[str], target: str) -> list[str]:
    """The headers of a file most like the target's aliases, the likeliest first."""
    aliases = ALIASES[target]
    scored = []
    for text in dict.fromkeys(text for text in header if text):
        key = header_key(text)
        score = max(_likeness(key, alias) for alias in aliases)
        if score >= CLOSE_ENOUGH:
            scored.append((-score, text))
    return [text for _score, text in sorted(scored)[:CLOSEST_NAMED]]


def _likeness(key: str, alias: str) -> float:
    if len(alias) > 3 and alias in key:  # “emailprimary” holds “email”
        return 1.0
    return SequenceMatcher(None, key, alias).ratio()
