"""Plain words for staff about what came back from InterviewFlowAI: the same in every place."""

from __future__ import annotations

from collections import Counter

from ingestion.inbound.fields import interview_step
from ingestion.inbound.reconcile import ReconcileResult
from recruiting.wording import plural

# Each step an interview event names, as staff read it.
STEP_WORDS = {
    "started": "Interview started",
    "in_progress": "Interview in progress",
    "completed": "Interview completed",
    "report_available": "Report available",
}


def event_type_words(event_type: str) -> str:
    """An interview event's type in words, “Report available”; as it came when unknown."""
    return STEP_WORDS.get(interview_step(event_type), event_type)


def reconcile_messages(result: ReconcileResult) -> list[str]:
    """What a reconciliation found and did, one line each; its problems are listed apart."""
    if not result.interviewers:
        return ["No Interviewer has unconfirmed candidates or interviews to follow."]
    lines = [
        f"{'Dry run: ' if result.dry_run else ''}Asked the Fetch API about "
        f"{plural(result.interviewers, 'Interviewer')} ({plural(result.pages, 'page')})."
    ]
    if result.confirmed:
        lines.append(
            f"{_were(result.confirmed, result.dry_run)} found at InterviewFlowAI: sent, and "
            "never sent again."
        )
    if result.not_found:
        lines.append(
            f"{_were(result.not_found, result.dry_run)} not found at InterviewFlowAI: safe "
            "to resend."
        )
    if result.refreshed:
        lines.append(
            f"{plural(result.refreshed, 'interview status', 'interview statuses')} moved on."
        )
    if result.queued_again:
        lines.append(
            f"{plural(result.queued_again, 'candidate')} not found queued to be sent again."
        )
    return lines


def apply_again_message(ends: Counter[str]) -> str:
    """After "apply again": how many events ended in each state."""
    if not ends:
        return "No event was applied again."
    counts = ", ".join(f"{count} {label.lower()}" for label, count in ends.most_common())
    return f"{plural(sum(ends.values()), 'event')} applied again: {counts}."


def _were(count: int, dry_run: bool) -> str:
    verb = "would be" if dry_run else ("was" if count == 1 else "were")
    return f"{plural(count, 'unconfirmed candidate')} {verb}"
