"""Claims: a candidate is taken for sending by one run only, for a limited time (a lease).

A claim is a conditional UPDATE (`queued` -> `sending`, with the run's token), taken under
`SELECT ... FOR UPDATE SKIP LOCKED` where the database has it, so that double clicks,
several workers and cron runs never send a candidate twice. Its lease and the candidates
in requests out live in one `Claim` row: renewing them before each request writes that row
alone. The sweep takes back a claim whose lease ran out by locking and deleting its row,
so a run renewing it either gets there first or finds it gone, and then sends nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ingestion.delivery import retries
from ingestion.delivery.statements import RowUpdate
from ingestion.messages import MAY_EXIST
from ingestion.models import Claim
from recruiting.id_lists import pk_among
from recruiting.models import Candidate, Interviewer
from recruiting.sendable import Sendable

logger = logging.getLogger(__name__)
State = Candidate.State
CLAIM_CHUNK_BATCHES = 10
ABANDONED = f"The sending worker stopped before InterviewFlowAI answered. {MAY_EXIST}"


@dataclass(eq=False, slots=True)
class ClaimedCandidate(Sendable):
    """A claimed candidate as a push reads it: the fields it sends and records, as plain
    values, and its Interviewer. Sending only reads a claim's candidates, a thousand at a
    time: this costs a fraction of a Django model each."""

    id: int
    interviewer_id: int
    name: str
    email: str
    status: str
    skills: Any
    send_email_after: int | None
    send_at: datetime | None
    additional_fields: Any
    metadata: Any
    attempts: int
    interviewer: Interviewer = field(init=False, repr=False)

    @property
    def pk(self) -> int:
        return self.id


CLAIMED_FIELDS = tuple(f.name for f in fields(ClaimedCandidate) if f.init)


def candidates_claim(
    due: QuerySet[Candidate], *, limit: int | None = None
) -> tuple[uuid.UUID, list[ClaimedCandidate]] | None:
    """Take some of these due candidates for this run, up to a chunk of batches (or `limit`):
    the claim's token and its candidates."""
    if (claim := claim_ids(due, limit=limit)) is None:
        return None
    token, pks = claim
    return token, claimed_candidates(token, pks)


def claim_ids(
    due: QuerySet[Candidate], *, limit: int | None = None
) -> tuple[uuid.UUID, list[int]] | None:
    """The claim alone: its token and the ids it may hold (those another run got first, not)."""
    chunk = settings.INTERVIEWFLOW_BATCH_SIZE * CLAIM_CHUNK_BATCHES
    limit = chunk if limit is None else min(limit, chunk)
    # No order: any ORDER BY can make the database sort every candidate waiting, for each
    # chunk (PostgreSQL does, while its statistics still count few queued). Read along the
    # index on (state, next_attempt_at, id), the oldest due come first anyway; the chunk is
    # then grouped into requests by Interviewer, status and skills.
    due = due.order_by()
    token = uuid.uuid4()
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        pks = list(due.values_list("pk", flat=True)[:limit])
        if not pks:
            return None
        Claim.objects.create(token=token, lease_expires_at=_lease_end())
        # Conditional UPDATE: if another run got there first, the row no longer matches.
        Candidate.objects.filter(pk_among(pks), state=State.QUEUED).update(
            state=State.SENDING, claim_token=token
        )
    return token, pks


def claimed_candidates(token: uuid.UUID, pks: list[int]) -> list[ClaimedCandidate]:
    """The candidates of a claim, as sending reads them, each Interviewer read once."""
    rows = Candidate.objects.filter(pk_among(pks), claim_token=token).order_by("pk")
    claimed = [ClaimedCandidate(*row) for row in rows.values_list(*CLAIMED_FIELDS)]
    interviewers = Interviewer.objects.in_bulk({c.interviewer_id for c in claimed})
    for candidate in claimed:
        candidate.interviewer = interviewers[candidate.interviewer_id]
    return claimed


def _lease_end() -> Any:
    return timezone.now() + retries.lease_duration()


_renew = RowUpdate(Claim, "lease_expires_at", "in_flight")


def claim_for_request(
    batch: Sequence[ClaimedCandidate], *, token: uuid.UUID, out: Iterable[int] = ()
) -> bool:
    """Renew the claim's lease and note the batch about to go out, with those still `out`.

    Only those noted can have reached InterviewFlowAI if the run dies: the rest of the claim
    goes back to the queue. False when the sweep took the claim back meanwhile: then
    nothing of it may be sent.
    """
    in_flight = [*out, *(c.pk for c in batch)]
    return bool(_renew(token, lease_expires_at=_lease_end(), in_flight=in_flight))


def claim_release(token: uuid.UUID, candidates: Sequence[ClaimedCandidate]) -> None:
    """Give back what a run claimed but did not send (it stopped early), and end the claim."""
    with transaction.atomic():
        Candidate.objects.filter(pk_among(c.pk for c in candidates), claim_token=token).update(
            state=State.QUEUED, claim_token=None
        )
        Claim.objects.filter(token=token).delete()


def claim_finish(
    candidates: Sequence[ClaimedCandidate], *, token: uuid.UUID, **changes: Any
) -> None:
    """End this run's claim on these candidates, moving them to their next state."""
    # update() leaves auto_now alone: set updated_at, which resend_failed --since reads.
    Candidate.objects.filter(pk_among(c.pk for c in candidates), claim_token=token).update(
        claim_token=None, updated_at=timezone.now(), **changes
    )


@dataclass(frozen=True)
class Recovered:
    """What the sweep did with claims whose run stopped."""

    unconfirmed: int = 0  # in the request in flight: they may or may not have been sent
    requeued: int = 0  # claimed but never sent: queued again, for the next run


def leases_recover() -> Recovered:
    """Take back the claims of a run that stopped, each as far as it had gone."""
    now = timezone.now()
    with transaction.atomic():
        expired = Claim.objects.filter(lease_expires_at__lt=now)
        if connection.features.has_select_for_update_skip_locked:
            expired = expired.select_for_update(skip_locked=True)
        claims = list(expired.values_list("token", "in_flight"))
        tokens = [token for token, _ in claims]
        held = Candidate.objects.filter(state=State.SENDING, claim_token__in=tokens)
        in_flight = held.filter(pk_among(pk for _, out in claims for pk in out))
        # A run's candidates with no claim left: lost however that came to be, maybe sent.
        unclaimed = Candidate.objects.filter(state=State.SENDING).exclude(
            Exists(Claim.objects.filter(token=OuterRef("claim_token")))
        )
        abandoned = {"state": State.UNCONFIRMED, "last_error": ABANDONED, "updated_at": now}
        unconfirmed = in_flight.update(claim_token=None, **abandoned)
        unconfirmed += unclaimed.update(claim_token=None, **abandoned)
        requeued = held.update(state=State.QUEUED, next_attempt_at=now, claim_token=None)
        Claim.objects.filter(token__in=tokens).delete()
    if unconfirmed or requeued:
        logger.warning(
            "Recovered the claims of a stopped run: %d unconfirmed (in the request in flight), "
            "%d queued again (never sent)",
            unconfirmed,
            requeued,
        )
    return Recovered(unconfirmed=unconfirmed, requeued=requeued)
