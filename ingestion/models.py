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
