from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ingestion.client import Outcome
from recruiting.models import Candidate, send_email_after_field, skills_field

RESPONSE_BODY_LIMIT = 20 * 1024


OUTCOME_LABELS = {
    Outcome.ACCEPTED: "Accepted",
    Outcome.RETRY: "Failed, will retry",
    Outcome.REJECTED: "Rejected",
    Outcome.UNKNOWN: "Outcome unknown",
}


class Trigger(models.TextChoices):
    ADMIN = "admin", "Admin push"
    IMPORT = "import", "Import"
    COMMAND = "command", "Command"
    SCHEDULE = "schedule", "Schedule"
    RESEND = "resend", "Resend"
    ATS = "ats", "ATS stage change"
    FETCH = "fetch", "Fetch API (reconciliation)"


class IngestionRequest(models.Model):
    """One HTTP attempt to the Ingestion API, kept as it happened (append-only)."""

    interviewer = models.ForeignKey(
        "recruiting.Interviewer",
        on_delete=models.PROTECT,
        related_name="ingestion_requests",
        db_index=False,
    )
    candidates = models.ManyToManyField(
        "recruiting.Candidate", related_name="ingestion_requests", through="RequestCandidate"
    )
    candidate_count = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.CharField("URL", max_length=500)
    request_body = models.JSONField()
    # Indexed by request_newest_first (and the interviewer by request_interviewer_newest).
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField("duration (ms)", default=0)
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    response_body = models.TextField(blank=True)
    response_truncated = models.BooleanField(default=False)
    error_class = models.CharField(max_length=200, blank=True)
    error_message = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=OUTCOME_LABELS)

    class Meta:
        ordering = ["-started_at", "-id"]
        # The history list's order, read from the index rather than sorted, alone or after
        # each filter staff use: its page and its count read only the rows they show.
        indexes = [
            models.Index(fields=["-started_at", "-id"], name="request_newest_first"),
            *(
                models.Index(fields=[field, "-started_at", "-id"], name=f"request_{field}_newest")
                for field in ("outcome", "http_status", "trigger", "interviewer")
            ),
        ]
        verbose_name = "ingestion request"
        permissions = [("export_ingestionrequest", "Can export the history to spreadsheets")]

    def __str__(self) -> str:
        status = self.http_status or self.error_class or "no answer"
        return f"#{self.pk} {self.get_outcome_display()} ({status})"


class CandidateLink(models.Model):
    """A row of a table linking candidates to a record of them, written by the thousand.

    No foreign-key constraint in the database: each is checked at the commit of every link
    written, two lookups a link, and these links are only written with the record that
    holds them and removed with it or with their candidate, by Django's own cascade. No
    index of its own on the record either: the unique pair leads with it.
    """

    candidate = models.ForeignKey(
        "recruiting.Candidate", on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )

    class Meta:
        abstract = True


class RequestCandidate(CandidateLink):
    """A candidate one HTTP attempt carried."""

    ingestionrequest = models.ForeignKey(
        IngestionRequest, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )

    class Meta:
        db_table = "ingestion_ingestionrequest_candidates"
        unique_together = [("ingestionrequest", "candidate")]

    def __str__(self) -> str:
        return f"Candidate {self.candidate_id} in request {self.ingestionrequest_id}"


class DeliveryStatus(models.Model):
    """The one row saying whether delivery is paused and when the API last said yes."""

    paused_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.TextField(blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "delivery status"

    def __str__(self) -> str:
        return "Paused" if self.paused_at else "Delivering"

    @classmethod
    def current(cls) -> DeliveryStatus:
        status, _ = cls.objects.get_or_create(pk=1)
        return status

    @property
    def paused(self) -> bool:
        return self.paused_at is not None


class PushBatch(models.Model):
    """The candidates one staff action queued, so that its progress can be followed."""

    candidates = models.ManyToManyField(
        "recruiting.Candidate", related_name="push_batches", through="PushCandidate"
    )
    candidate_count = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.ADMIN)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A large selection is kept first and queued in the background: until then its
    # candidate_count is how many were chosen; then how many were queued, and left_out
    # says in words why the others were not, for the progress page.
    queueing = models.BooleanField(default=False)
    left_out = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "push"
        verbose_name_plural = "pushes"
        # Seen through the push permission on candidates, never edited by hand.
        default_permissions = ()

    def __str__(self) -> str:
        return f"Push #{self.pk} ({self.candidate_count} candidates)"


class PushCandidate(CandidateLink):
    """A candidate one push queued."""

    pushbatch = models.ForeignKey(
        PushBatch, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )

    class Meta:
        db_table = "ingestion_pushbatch_candidates"
        unique_together = [("pushbatch", "candidate")]

    def __str__(self) -> str:
        return f"Candidate {self.candidate_id} in push {self.pushbatch_id}"


class Claim(models.Model):
    """One run's hold on the candidates it is sending: those whose `claim_token` is this.

    The lease, renewed before each request, and the candidates in requests out are kept
    in this one narrow row: renewing them writes it alone, not every candidate again.
    """

    token = models.UUIDField(primary_key=True)
    lease_expires_at = models.DateTimeField(db_index=True)
    in_flight = models.JSONField(default=list, help_text="Ids in requests not yet recorded.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"Claim {self.token} until {self.lease_expires_at:%H:%M:%S}"


class AtsConnection(models.Model):
    """An applicant tracking system that announces stage changes to its own webhook URL."""

    class Kind(models.TextChoices):
        GREENHOUSE = "greenhouse", "Greenhouse"
        ASHBY = "ashby", "Ashby"
        WORKABLE = "workable", "Workable"
        GENERIC = "generic", "Any other (JSON with a bearer token)"

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        unique=True, help_text="The last part of the webhook URL: letters, digits and hyphens."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Kept to check each delivery's signature; shown only to those who may change connections.
    secret = models.CharField(
        max_length=200,
        help_text="The secret key the ATS signs with (the bearer token for any other sender): "
        "paste the same value into the ATS.",
    )
    active = models.BooleanField(default=True, help_text="Inactive connections answer 404.")
    rejected_count = models.PositiveIntegerField("deliveries refused", default=0, editable=False)
    last_rejected_at = models.DateTimeField("last refused at", null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "ATS connection"

    def __str__(self) -> str:
        return self.name


class AtsRule(models.Model):
    """Which stage of which job makes a candidate, for which Interviewer, and whether to push."""

    connection = models.ForeignKey(AtsConnection, on_delete=models.CASCADE, related_name="rules")
    job = models.CharField(
        max_length=200, blank=True, help_text="The job's id or name in the ATS; blank: any job."
    )
    stage = models.CharField(
        max_length=200, blank=True, help_text="The stage's id or name; blank: any stage."
    )
    interviewer = models.ForeignKey(
        "recruiting.Interviewer", on_delete=models.PROTECT, related_name="ats_rules"
    )
    status = models.CharField(
        max_length=20,
        choices=Candidate.Status.choices,
        blank=True,
        help_text="Blank: the Interviewer decides.",
    )
    skills = skills_field('Added to the candidate\'s skills, as a JSON list: ["python"].')
    send_email_after = send_email_after_field()
    push = models.BooleanField(
        default=True, help_text="Push at once; unticked, the draft waits here for review."
    )
    order = models.PositiveIntegerField(default=0, help_text="The first matching rule wins.")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "ATS rule"

    def __str__(self) -> str:
        return f"{self.stage or 'any stage'} of {self.job or 'any job'}"


class AtsDelivery(models.Model):
    """One delivery an ATS made and we accepted, kept as it came (append-only)."""

    class State(models.TextChoices):
        RECEIVED = "received", "Received, not applied yet"
        APPLIED = "applied", "Applied"
        IGNORED = "ignored", "Ignored"
        INVALID = "invalid", "Invalid"
        TEST = "test", "Test event"

    connection = models.ForeignKey(
        AtsConnection, on_delete=models.PROTECT, related_name="deliveries"
    )
    event_id = models.CharField("event id", max_length=200)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    body = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    outcome = models.TextField(blank=True)
    event = models.CharField(max_length=200, blank=True)
    job = models.CharField(max_length=200, blank=True)
    stage = models.CharField(max_length=200, blank=True)
    candidate = models.ForeignKey(
        "recruiting.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ats_deliveries",
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "ATS delivery"
        verbose_name_plural = "ATS deliveries"
        constraints = [
            models.UniqueConstraint(fields=["connection", "event_id"], name="ats_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.connection} {self.event_id}"


class WebhookEvent(models.Model):
    """One delivery from InterviewFlowAI's webhooks, kept as it arrived (append-only).

    Unique by `event_id` among the deliveries that are not duplicates: a second delivery of
    the same event is kept too, as a duplicate of the first, and never applied.
    """

    class State(models.TextChoices):
        RECEIVED = "received", "Received, not yet applied"
        APPLIED = "applied", "Applied"
        DUPLICATE = "duplicate", "Duplicate"
        UNMATCHED = "unmatched", "Unmatched"
        IGNORED = "ignored", "Ignored"
        INVALID = "invalid", "Invalid"

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The sender's id, or "sha256:…" of the body when it gave none.
    event_id = models.CharField("event id", max_length=200)
    event_type = models.CharField("event type", max_length=100, blank=True)
    body = models.TextField("raw body")
    candidate = models.ForeignKey(
        "recruiting.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_events",
    )
    email = models.CharField(max_length=254, blank=True)
    interviewer_ref = models.CharField("interviewer id", max_length=200, blank=True)
    interview_id = models.CharField("interview id", max_length=200, blank=True)
    score = models.CharField(max_length=50, blank=True)
    report_url = models.CharField("report URL", max_length=1000, blank=True)
    interview_link = models.CharField(max_length=1000, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    reason = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "interview event"
        default_permissions = ("view",)
        permissions = [("apply_webhookevent", "Can apply interview events again")]
        constraints = [
            models.UniqueConstraint(
                fields=["event_id"],
                condition=~models.Q(state="duplicate"),
                name="one_webhook_event_per_id",
            )
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="webhook_event_state")]

    def __str__(self) -> str:
        return f"{self.event_type or 'event'} {self.event_id}"


class SandboxCandidate(models.Model):
    """A candidate the built-in sandbox accepted, which its Fetch API answers with."""

    interviewer_id = models.CharField(max_length=200, db_index=True)
    external_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    email = models.CharField(max_length=254)
    status = models.CharField(max_length=20, blank=True)
    additional_fields = models.JSONField(default=dict)
    interview_status = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.email
