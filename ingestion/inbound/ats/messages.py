"""What an ATS delivery did, and how to set a connection up, in words for staff."""

from __future__ import annotations

import json

from django.conf import settings

from ingestion.delivery.results import QueueResult
from ingestion.inbound.ats.readers import PINGS, STAGE_CHANGES, AtsEvent
from ingestion.models import AtsConnection, AtsRule
from recruiting.imports.results import ImportResult, RowAction
from recruiting.wording import listed, local_time, plural

Kind = AtsConnection.Kind

SET_UP = {
    Kind.GREENHOUSE: (
        "In Greenhouse, open Configure > Dev Center > Web Hooks and create a web hook: "
        "event “Candidate has changed stage” (candidate_stage_change), this endpoint URL, "
        "and the secret key below."
    ),
    Kind.ASHBY: (
        "In Ashby, open Admin > Integrations > Webhooks and create one: type "
        "“Candidate Stage Change” (candidateStageChange), this request URL, and the secret "
        "below as its secret token. Save the connection here first: Ashby pings the URL "
        "when the webhook is created."
    ),
    Kind.WORKABLE: (
        "In Workable, subscribe this URL to the event candidate_moved (its API's "
        "subscriptions, filtered by job shortcode and stage if you wish). Workable signs "
        "each delivery with the token that made the subscription: put that token in Secret."
    ),
    Kind.GENERIC: (
        "From Lever, Zapier, Make, Workato or a script of your own: POST JSON like the "
        "example below to this URL, with the header “Authorization: Bearer <secret>”. Only "
        "the email, a name (name, or first_name and last_name) and the job or stage a rule "
        "matches are needed; event_id makes a repeated delivery harmless."
    ),
}
# What any other sender posts, shown on its connection's page.
GENERIC_EXAMPLE = {
    "event_id": "zap-42",
    "job": "Backend Engineer",
    "stage": "AI Interview",
    "first_name": "Linus",
    "last_name": "Torvalds",
    "email": "linus@example.com",
    "phone": "+1 555 0100",
    "external_id": "lever-9",
    "skills": ["c", "git"],
    "additional_fields": {"Manual Score": 72},
    "metadata": {"Source": "Lever"},
}


def set_up_help(kind: str) -> str:
    return SET_UP[kind]


def example_body(kind: str) -> str:
    """The JSON a sender of this kind posts, when it is ours to describe; "" otherwise."""
    if kind != Kind.GENERIC:
        return ""
    lines = (f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in GENERIC_EXAMPLE.items())
    return "{\n" + ",\n".join(lines) + "\n}"


def applied_again(count: int, tests: int) -> str:
    said = f"{plural(count, 'delivery', 'deliveries')} applied again."
    if tests:
        said += f" {plural(tests, 'test event')} left as received: a test is never applied."
    return said


def event_words(kind: str, event: str) -> str:
    """What an ATS's event is, in words: “Stage changed”; as the ATS named it otherwise."""
    if event in PINGS:
        return "Ping (the ATS checking the address)"
    changes = STAGE_CHANGES[kind]
    return "Stage changed" if changes is None or event in changes else event


def ping(event: AtsEvent) -> str:
    return f"A ping from {Kind(event.kind).label}: the webhook address answers. Nothing to apply."


def not_a_stage_change(event: AtsEvent) -> str:
    wanted = ", ".join(sorted(STAGE_CHANGES[event.kind] or ()))
    return f"Ignored: “{event.event or 'no event name'}” is not a stage change ({wanted})."


def no_rule(event: AtsEvent) -> str:
    stage, job = event.stage or "(none)", event.job or "(none)"
    return (
        f"Ignored: stage “{stage}” of job “{job}” has no rule. To make candidates of it, add a "
        f"rule to this connection with job “{job}” and stage “{stage}” (or either left blank "
        "for any)."
    )


def too_many_fields(count: int) -> str:
    return (
        f"the event makes {count} columns, more than the {settings.IMPORT_MAX_COLUMNS} a row "
        "of an import may have: send fewer additional fields and metadata."
    )


def invalid_row(result: ImportResult) -> str:
    problems = "; ".join(f"{note.column}: {note.message}" for note in result.problems)
    return f"Not imported: {problems}"


def tested(outcome: str) -> str:
    """What a test event would have done: it is never applied."""
    return f"Test event, nothing written. {outcome}"


def test_outcome(event: AtsEvent, rule: AtsRule, result: ImportResult) -> str:
    if result.invalid:
        return invalid_row(result)
    push = "push it at once" if rule.push else "leave it as a draft for review"
    return (
        f"Stage “{event.stage}” of job “{event.job}” meets the "
        f"rule “{rule}”, which would make {event.name} a candidate of "
        f"“{rule.interviewer}” and {push}."
    )


def applied(event: AtsEvent, rule: AtsRule, result: ImportResult, queue: QueueResult | None) -> str:
    """What the import did to the candidate, then what became of its push."""
    said = [_written(event, rule, result)]
    if result.skipped:
        said.append(result.skipped[0].message)
    elif not rule.push:
        said.append("Left as a draft for review, as the rule asks.")
    elif queue is not None:
        said.append(_pushed(queue))
    return " ".join(said)


def _written(event: AtsEvent, rule: AtsRule, result: ImportResult) -> str:
    counts = result.counts
    done = (
        "New candidate"
        if counts[RowAction.NEW]
        else "Updated candidate"
        if counts[RowAction.UPDATE]
        else "Candidate unchanged:"
    )
    return f"{done} {event.name} for “{rule.interviewer}” (rule “{rule}”)."


def _pushed(queue: QueueResult) -> str:
    if queue.due:
        return "Queued for InterviewFlowAI."
    if queue.held:
        return "Held until 96 hours before its invitation time."
    reasons = [*queue.invalid, *(queue.refusal(state) for state in queue.skipped)]
    return f"Not pushed: {listed(reasons) or 'nothing to send.'}"


def rejected(connection: AtsConnection) -> str:
    """How often a connection refused a delivery for its signature, for its page."""
    if not connection.rejected_count:
        return "No delivery has been refused."
    refused = plural(connection.rejected_count, "delivery", "deliveries")
    return (
        f"{refused} refused because the signature or token did not match the secret, the last "
        f"at {local_time(connection.last_rejected_at)}."
    )


def test_sent(status: int, answer: dict, state: str, outcome: str) -> tuple[str, str]:
    """What the test button saw, as (level, sentence)."""
    if status != 200:
        error = answer.get("error", "no reason given")
        return "error", f"The test event was refused with HTTP {status}: {error}"
    if state == "received":
        return "info", (
            "The test event was accepted (HTTP 200) and waits for a worker to apply it: "
            "its outcome will show in the ATS deliveries."
        )
    return "success", f"The test event was accepted (HTTP 200). {outcome}"
