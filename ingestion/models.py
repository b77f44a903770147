from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ingestion.client import Outcome

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
    FETCH = "fetch", "Fetch API (reconciliation)"


class IngestionRequest(models.Model):
    """One HTTP attempt to the Ingestion API, kept as it happened (append-only)."""

    interviewer = models.ForeignKey(
        "recruiting.Interviewer", on_delete=models.PROTECT, related_name="ingestion_requests"
    )
    candidates = models.ManyToManyField("recruiting.Candidate", related_name="ingestion_requests")
    candidate_count = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.CharField("URL", max_length=500)
    request_body = models.JSONField()
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    duration_ms = models.PositiveIntegerField("duration (ms)", default=0)
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    response_body = models.TextField(blank=True)
    response_truncated = models.BooleanField(default=False)
    error_class = models.CharField(max_length=200, blank=True)
    error_message = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=OUTCOME_LABELS)

    class Meta:
        ordering = ["-started_at", "-id"]
        # The history list's order, read from the index rather than sorted.
        indexes = [models.Index(fields=["-started_at", "-id"], name="request_newest_first")]
        verbose_name = "ingestion request"
        permissions = [("export_ingestionrequest", "Can export the history to spreadsheets")]

    def __str__(self) -> str:
        status = self.http_status or self.error_class or "no answer"
        return f"#{self.pk} {self.get_outcome_display()} ({status})"


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

    candidates = models.ManyToManyField("recruiting.Candidate", related_name="push_batches")
    candidate_count = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.ADMIN)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "push"
        verbose_name_plural = "pushes"
        # Seen through the push permission on candidates, never edited by hand.
        default_permissions = ()

    def __str__(self) -> str:
        return f"Push #{self.pk} ({self.candidate_count} candidates)"


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
