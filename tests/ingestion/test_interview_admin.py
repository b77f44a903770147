"""The admin's side of what comes back: the inbox, the settings page, columns, timeline, funnel."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from ingestion.inbound.events import webhook_event_apply, webhook_event_store
from ingestion.models import WebhookEvent
from recruiting.models import Candidate
from tests.admin_pages import (
    action_choices,
    changelist_url,
    messages_of,
    run_action,
    submit_action_page,
)
from tests.delivery import fresh, pushing
from tests.factories import CandidateFactory, InterviewerFactory, UserFactory
from tests.upstream import accept_pushes

pytestmark = pytest.mark.django_db
State = Candidate.State


def kept(body: dict, *, apply: bool = True) -> WebhookEvent:
    raw = json.dumps(body).encode()
    event = webhook_event_store(raw=raw, body=body, headers={}, fallback_id=f"h-{hash(raw)}")
    return webhook_event_apply(event_id=event.pk) if apply else event


def staff_with(*codenames: str):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_the_inbox_is_read_only_and_filters_by_state_and_type(admin_client):
    candidate = CandidateFactory()
    first = kept({"id": "e1", "event": "interview.started", "email": candidate.email})
    kept({"id": "e2", "event": "interview.started", "email": "ghost@example.com"})
    url = changelist_url(WebhookEvent)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert reverse("admin:ingestion_webhookevent_add") not in page.content.decode()
    unmatched = admin_client.get(url, {"state__exact": "unmatched"})
    assert [e.event_id for e in unmatched.context["cl"].result_list] == ["e2"]
    by_type = admin_client.get(url, {"event_type": "interview.started"})
    assert by_type.context["cl"].result_count == 2
    detail = admin_client.get(reverse("admin:ingestion_webhookevent_change", args=[first.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_the_inbox_names_event_types_in_words_and_keeps_the_code_on_the_detail(admin_client):
    candidate = CandidateFactory()
    event = kept({"id": "r1", "event": "interview.report_available", "email": candidate.email})
    kept({"id": "x1", "event": "interview.paused", "email": candidate.email})
    page = admin_client.get(changelist_url(WebhookEvent))

    html = page.content.decode()
    assert '<td class="field-event_words">Report available</td>' in html
    assert '<td class="field-event_words">interview.paused</td>' in html
    shown = [
        choice["display"]
        for spec in page.context["cl"].filter_specs
        for choice in spec.choices(page.context["cl"])
    ]
    assert "Report available" in shown and "interview.paused" in shown
    detail = admin_client.get(reverse("admin:ingestion_webhookevent_change", args=[event.pk]))
    assert "Report available (<code>interview.report_available</code>)" in detail.content.decode()
    candidate_page = admin_client.get(
        reverse("admin:recruiting_candidate_change", args=[candidate.pk])
    ).content.decode()
    events = candidate_page.split('id="interview-events"', 1)[1]
    assert "<td>Report available</td>" in events
    assert "interview.report_available" not in events


def test_unmatched_events_are_highlighted_with_their_reason(admin_client):
    kept({"id": "e2", "event": "interview.started", "email": "ghost@example.com"})
    html = admin_client.get(changelist_url(WebhookEvent)).content.decode()
    assert 'class="event-needs-look"' in html
    assert "No candidate has this email" in html


def test_apply_again_applies_an_unmatched_event_once_the_candidate_exists(admin_client):
    event = kept({"id": "e3", "event": "interview.completed", "email": "late@example.com"})
    candidate = CandidateFactory(email="late@example.com")
    response = run_action(admin_client, WebhookEvent, "apply_again_action", [event])
    assert messages_of(response) == ["1 event applied again: 1 applied."]
    assert fresh(candidate).interview_status == "completed"


def test_apply_again_needs_its_own_permission(client):
    client.force_login(staff_with("view_webhookevent"))
    response = client.get(changelist_url(WebhookEvent))
    assert "apply_again_action" not in action_choices(response)
    client.force_login(staff_with("view_webhookevent", "apply_webhookevent"))
    assert "apply_again_action" in action_choices(client.get(changelist_url(WebhookEvent)))


def test_the_candidate_list_shows_and_filters_the_interview_status(admin_client):
    done = CandidateFactory(interview_status="report_available", interview_score="91")
    CandidateFactory()
    response = admin_client.get(changelist_url(Candidate), {"interview_status": "report_available"})
    assert [c.pk for c in response.context["cl"].result_list] == [done.pk]
    html = response.content.decode()
    assert "state-interview-report_available" in html
    assert '<span class="interview-score">score 91</span>' in html


def test_the_timeline_shows_events_beside_requests(admin_client):
    candidate = CandidateFactory(state=State.SENT)
    kept({"id": "t1", "event": "interview.started", "email": candidate.email})
    url = reverse("admin:recruiting_candidate_change", args=[candidate.pk])
    html = admin_client.get(url).content.decode()
    assert 'id="delivery-timeline"' in html
    assert html.count('id="interview-events"') == 1
    assert "The interview status moved to Started." in html


def test_the_dashboard_shows_a_funnel_per_interviewer(admin_client):
    interviewer = InterviewerFactory(name="Data Engineer")
    for status in ["", "started", "completed", "report_available"]:
        CandidateFactory(interviewer=interviewer, state=State.SENT, interview_status=status)
    CandidateFactory(interviewer=interviewer, state=State.NEW)
    html = admin_client.get(reverse("admin:index")).content.decode()
    row = html.split(f'data-interviewer="{interviewer.pk}"', 1)[1].split("</tr>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"[^>]*>(\d+)</a>', row)
    assert [count for _url, count in links] == ["4", "3", "2", "1"]


def test_each_step_of_the_funnel_links_to_the_candidates_it_counts(admin_client):
    interviewer = InterviewerFactory(name="Data Engineer")
    for status in ["", "started", "in_progress", "completed", "report_available"]:
        CandidateFactory(interviewer=interviewer, state=State.SENT, interview_status=status)
    CandidateFactory(interviewer=interviewer, state=State.NEW, interview_status="started")
    CandidateFactory(state=State.SENT, interview_status="completed")  # another Interviewer
    html = admin_client.get(reverse("admin:index")).content.decode()
    row = html.split(f'data-interviewer="{interviewer.pk}"', 1)[1].split("</tr>", 1)[0]

    for url, count in re.findall(r'<a href="([^"]+)"[^>]*>(\d+)</a>', row):
        listed = admin_client.get(unescape(url))
        assert listed.status_code == 200  # an unknown filter would redirect
        result = listed.context["cl"].result_list
        assert len(result) == int(count)
        assert {c.interviewer_id for c in result} == {interviewer.pk}


def test_the_settings_page_shows_the_url_to_paste_to_a_superuser(admin_client, settings):
    settings.INTERVIEWFLOW_WEBHOOK_TOKEN = "tok-9f2"
    html = admin_client.get(reverse("interviewflow_page")).content.decode()
    assert "http://testserver/webhooks/interviewflow/tok-9f2/" in html
    assert settings.INTERVIEWFLOW_API_KEY not in html


def test_the_settings_page_hides_the_token_from_other_staff(client, settings):
    settings.INTERVIEWFLOW_WEBHOOK_TOKEN = "tok-9f2"
    client.force_login(staff_with("view_webhookevent"))
    html = client.get(reverse("interviewflow_page")).content.decode()
    assert "tok-9f2" not in html
    assert "/webhooks/interviewflow/" in html
    client.force_login(staff_with())
    assert client.get(reverse("interviewflow_page")).status_code == 403


def test_the_settings_page_says_when_the_receiver_is_off(admin_client, settings):
    settings.INTERVIEWFLOW_WEBHOOK_TOKEN = ""
    html = admin_client.get(reverse("interviewflow_page")).content.decode()
    assert 'id="webhook-off"' in html


@pushing
def test_resend_offers_exactly_the_candidates_not_found(admin_client, api):
    accept_pushes(api)
    now = timezone.now()
    safe = CandidateFactory(state=State.UNCONFIRMED, not_found_at=now)
    unsure = CandidateFactory(state=State.UNCONFIRMED)
    page = run_action(admin_client, Candidate, "resend_action", [safe, unsure])
    assert "Only the 1 candidate not found at InterviewFlowAI" in page.content.decode()
    submit_action_page(admin_client, page, only_not_found="on")
    assert fresh(safe).state == State.SENT
    assert fresh(unsure).state == State.UNCONFIRMED
    assert len(api.log) == 1


def test_resend_without_candidates_not_found_still_asks_to_confirm(admin_client):
    candidate = CandidateFactory(state=State.UNCONFIRMED)
    page = run_action(admin_client, Candidate, "resend_action", [candidate])
    assert "not found at InterviewFlowAI" not in page.content.decode()
    again = submit_action_page(admin_client, page)
    assert "This field is required." in again.content.decode()
    assert fresh(candidate).state == State.UNCONFIRMED
