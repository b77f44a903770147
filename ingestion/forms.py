"""The forms of the delivery actions that ask something before they run."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from recruiting.wording import plural


class ResendForm(forms.Form):
    only_not_found = forms.BooleanField(
        required=False,
        initial=True,
        help_text="A walk of the Fetch API found none of these at InterviewFlowAI: they were "
        "never created, and resending them cannot invite anyone twice.",
    )
    confirm = forms.BooleanField(
        label="Send again",
        required=False,
        help_text="Candidates that were sent, or whose delivery is unconfirmed, may receive a "
        "second invitation email from InterviewFlowAI.",
    )
    # When this page was shown: a candidate delivered since (the same form sent twice) is
    # not sent yet again.
    seen_at = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, safe_to_resend: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen_at"].initial = timezone.now()
        if safe_to_resend:
            label = f"Only the {plural(safe_to_resend, 'candidate')} not found at InterviewFlowAI"
            self.fields["only_not_found"].label = label
        else:
            del self.fields["only_not_found"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("only_not_found") and not data.get("confirm"):
            self.add_error("confirm", forms.Field.default_error_messages["required"])
        return data


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Invite at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="When InterviewFlowAI should email the invitation. Up to 96 hours ahead the "
        "candidates are sent now with a delay; later, they wait here until 96 hours before. "
        "Leave it empty to clear a scheduled time and invite as soon as they are sent.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["send_at"].help_text += f" Times are in {timezone.get_current_timezone_name()}."

    def clean_send_at(self) -> Any:
        send_at = self.cleaned_data["send_at"]
        if send_at is not None and send_at <= timezone.now():
            raise forms.ValidationError(
                "Choose a time in the future, or leave it empty to invite as soon as sent."
            )
        return send_at
