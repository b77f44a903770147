from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recruiting import rules
from recruiting.sendable import Sendable


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


def send_email_after_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        "send invitation after (hours)",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(rules.SEND_EMAIL_AFTER_MIN),
            MaxValueValidator(rules.SEND_EMAIL_AFTER_MAX),
        ],
        help_text="Delay the invitation email by 1 to 96 hours.",
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


class Candidate(Sendable, models.Model):
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

    class InterviewStatus(models.TextChoices):
        """How far the candidate got in the AI interview, as InterviewFlowAI reports it."""

        NONE = "", "Not started"
        STARTED = "started", "Started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        REPORT_AVAILABLE = "report_available", "Report available"

    # The drafts staff may still change, by hand, by action or by import: nothing of them
    # is in InterviewFlowAI or on its way there. Queued and sending ones are on their way;
    # sent and unconfirmed ones may already exist upstream, so changing them here would
    # silently disagree with what the candidate received.
    EDITABLE_STATES = (State.NEW, State.FAILED)

    # No index of its own: (interviewer, state) and (interviewer, email) both lead with it,
    # and every index is one more entry to write each time a candidate changes state.
    interviewer = models.ForeignKey(
        Interviewer, on_delete=models.PROTECT, related_name="candidates", db_index=False
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
    send_email_after = send_email_after_field()

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
    # The run sending it (ingestion's Claim holds that run's lease), cleared with its outcome.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    upstream_id = models.CharField("InterviewFlowAI id", max_length=200, blank=True)
    resend_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed only where set: see Meta
    )
    resend_requested_at = models.DateTimeField(null=True, blank=True)
    # A walk of the Fetch API found the candidate (confirmed sent), or did not (safe to resend).
    confirmed_at = models.DateTimeField("confirmed by the Fetch API", null=True, blank=True)
    not_found_at = models.DateTimeField("not found at InterviewFlowAI", null=True, blank=True)

    interview_status = models.CharField(
        max_length=20, choices=InterviewStatus.choices, blank=True, default=""
    )
    interview_status_at = models.DateTimeField("interview status changed", null=True, blank=True)
    interview_score = models.CharField("score", max_length=50, blank=True)
    report_url = models.URLField("report", max_length=1000, blank=True)
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
            # The Interviewer list's counts per state, read from the index alone.
            models.Index(fields=["interviewer", "state"], name="candidate_interviewer_state"),
            # The list sorted by the columns staff click most, read in index order.
            models.Index(fields=["name", "id"], name="candidate_by_name"),
            models.Index(fields=["email", "id"], name="candidate_by_email"),
            # The search's exact match of an InterviewFlowAI id: only candidates given one.
            models.Index(
                fields=["upstream_id"],
                condition=~models.Q(upstream_id=""),
                name="candidate_upstream_id",
            ),
            # Found when a user is deleted; few candidates have one, and the others' writes
            # skip this index.
            models.Index(
                fields=["resend_requested_by"],
                condition=models.Q(resend_requested_by__isnull=False),
                name="candidate_resend_requested_by",
            ),
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

    @classmethod
    def interview_statuses_before(cls, status: str) -> list[str]:
        """The statuses a candidate may move from to reach `status`: every earlier one."""
        order = list(cls.InterviewStatus.values)
        return order[: order.index(status)] if status in order else []

    @property
    def safe_to_resend(self) -> bool:
        return self.state == self.State.UNCONFIRMED and self.not_found_at is not None


class ImportMapping(models.Model):
    """A recruiter's choice of target for each column of one kind of file, kept by name.

    An import whose header row has the same `signature` uses it without being asked.
    """

    name = models.CharField(max_length=100, unique=True, help_text="Shown when it is used.")
    signature = models.CharField(
        max_length=64, db_index=True, editable=False, help_text="The headers, as compared."
    )
    headers = models.JSONField(default=list, help_text="The header row it was made for.")
    columns = json_object_field(
        "Each header's target, one a line: Candidate ID: metadata:External ID. A target is "
        "name, first_name, last_name, email, status, skills, interviewer, send_email_after, "
        "additional:<Key>, metadata:<Key> or ignore."
    )
    statuses = json_object_field(
        "What each value of the status column means, one a line: Phone Screen: shortlisted."
    )
    interviewer = models.ForeignKey(
        Interviewer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For rows with no interviewer, unless the import chooses one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
