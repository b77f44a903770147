from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recruiting import rules


def validate_skills(value: object) -> None:
    if problem := rules.skills_problem(value):
        raise ValidationError(problem)


def validate_json_object(value: object) -> None:
    if not isinstance(value, dict):
        raise ValidationError('Enter a JSON object, for example {"Manual Score": 72}.')


def skills_field(help_text: str) -> models.JSONField:
    return models.JSONField(
        default=list, blank=True, validators=[validate_skills], help_text=help_text
    )


def json_object_field(help_text: str) -> models.JSONField:
    return models.JSONField(
        default=dict, blank=True, validators=[validate_json_object], help_text=help_text
    )


class Interviewer(models.Model):
    """An InterviewFlowAI Interviewer: the AI interview pipeline of one job."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Private"

    # No default: a made-up id would look valid and every push to it would fail upstream.
    external_id = models.UUIDField(
        "InterviewFlowAI interviewer id",
        unique=True,
        help_text="The interviewerId shown in InterviewFlowAI for this Interviewer.",
    )
    name = models.CharField(max_length=200)
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text="Decides the status of candidates sent without one: "
        "public means shortlisted, private means draft.",
    )
    resume_screening = models.BooleanField(
        default=False, help_text="When on, candidates cannot be shortlisted."
    )
    screening_questions = models.BooleanField(
        default=False, help_text="When on, candidates cannot be shortlisted."
    )
    skills = skills_field('Default skills for its candidates, as a JSON list: ["python", "aws"].')
    active = models.BooleanField(default=True, help_text="Inactive Interviewers receive nothing.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.skills = rules.clean_skills(self.skills or [])
        super().save(*args, **kwargs)

    @property
    def default_status(self) -> str:
        if self.visibility == self.Visibility.PUBLIC:
            return Candidate.Status.SHORTLISTED
        return Candidate.Status.DRAFT


class Candidate(models.Model):
    """A candidate draft and the state of its delivery to InterviewFlowAI."""

    class Status(models.TextChoices):
        SHORTLISTED = rules.SHORTLISTED, "Shortlisted"
        DRAFT = rules.DRAFT, "Draft"

    class State(models.TextChoices):
        NEW = "new", "New"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNCONFIRMED = "unconfirmed", "Unconfirmed"

    # The drafts staff may still change, by hand, by action or by import: nothing of them
    # is in InterviewFlowAI or on its way there. Queued and sending ones are on their way;
    # sent and unconfirmed ones may already exist upstream, so changing them here would
    # silently disagree with what the candidate received.
    EDITABLE_STATES = (State.NEW, State.FAILED)

    interviewer = models.ForeignKey(
        Interviewer, on_delete=models.PROTECT, related_name="candidates"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text="Blank: the Interviewer decides (public: shortlisted, private: draft).",
    )
    skills = skills_field("A JSON list; blank uses the Interviewer's skills.")
    additional_fields = json_object_field(
        'Tags shown in InterviewFlowAI, as a JSON object: {"Manual Score": 72}.'
    )
    metadata = json_object_field('External references, as a JSON object: {"External ID": "c_123"}.')
    send_email_after = models.PositiveSmallIntegerField(
        "send invitation after (hours)",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(rules.SEND_EMAIL_AFTER_MIN),
            MaxValueValidator(rules.SEND_EMAIL_AFTER_MAX),
        ],
        help_text="Delay the invitation email by 1 to 96 hours.",
    )

    send_at = models.DateTimeField(
        "invite at",
        null=True,
        blank=True,
        help_text="When the invitation email should go out. Up to 96 hours ahead it is sent "
        "now with a delay; later, the candidate is held here and sent when due.",
    )

    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    # Set just before the request carrying the candidate goes out, cleared with its outcome.
    in_flight_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    upstream_id = models.CharField("InterviewFlowAI id", max_length=200, blank=True)
    resend_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resend_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interviewer", "email"], name="unique_candidate_email_per_interviewer"
            )
        ]
        indexes = [
            # Claims take the due candidates in this order, a chunk at a time: read from the
            # index, each claim costs the same however many wait behind it.
            models.Index(fields=["state", "next_attempt_at", "id"], name="candidate_due_order"),
            # The candidate list's order, read from the index rather than sorted.
            models.Index(fields=["-created_at", "-id"], name="candidate_newest_first"),
        ]
        permissions = [
            ("push_candidate", "Can push candidates to InterviewFlowAI"),
            ("import_candidate", "Can import candidates from spreadsheets"),
            ("export_candidate", "Can export candidates to spreadsheets"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs) -> None:
        self.email = rules.normalise_email(self.email)
        self.name = (self.name or "").strip()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        # Before the field checks, so that " Ada@Example.com " is valid and stored normalised.
        self.email = rules.normalise_email(self.email)
        super().clean_fields(exclude)

    def clean(self) -> None:
        self.email = rules.normalise_email(self.email)
        errors: dict[str, str] = {}
        if problem := rules.name_problem(self.name):
            errors["name"] = problem
        interviewer = self.interviewer if self.interviewer_id else None
        if problem := rules.status_problem(self.status, interviewer):
            errors["status"] = problem
        # A metadata that is not an object is reported by the field's own validator.
        if isinstance(self.metadata, dict) and (problem := rules.metadata_problem(self.metadata)):
            errors["metadata"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def effective_status(self) -> str:
        return self.status or self.interviewer.default_status

    @property
    def effective_skills(self) -> list[str]:
        return list(self.skills or self.interviewer.skills or [])

    def hold_until(self, now: datetime) -> datetime:
        """When to send: now, or later when the invitation is further off than the API delays."""
        if self.send_at is None:
            return now
        return max(now, self.send_at - timedelta(hours=rules.SEND_EMAIL_AFTER_MAX))

    def invitation_delay(self, now: datetime) -> int | None:
        """Hours InterviewFlowAI should wait before inviting, counted from `now`."""
        if self.send_at is None:
            return self.send_email_after
        hours = math.ceil((self.send_at - now).total_seconds() / 3600)
        if hours < rules.SEND_EMAIL_AFTER_MIN:
            return None
        return min(hours, rules.SEND_EMAIL_AFTER_MAX)

    def problems(self) -> list[str]:
        """Everything that would make InterviewFlowAI reject this candidate, in words."""
        checks = [
            rules.name_problem(self.name),
            rules.email_problem(self.email),
            rules.status_problem(self.status, self.interviewer),
            rules.skills_problem(self.skills),
            rules.send_email_after_problem(self.send_email_after),
            rules.additional_fields_problem(self.additional_fields),
            rules.metadata_problem(self.metadata),
            rules.delay_conflict_problem(self.send_email_after, self.metadata),
            rules.interviewer_problem(self.interviewer),
        ]
        return [problem for problem in checks if problem]
