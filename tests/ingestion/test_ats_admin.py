"""The ATS pages of the admin: a connection's set-up help and test event, and the inbox."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from ingestion.inbound.ats.applying import ats_delivery_keep
from ingestion.models import AtsConnection, AtsDelivery
from recruiting.models import Candidate
from tests.admin_pages import changelist_url, messages_of, run_action
from tests.ats import Kind, connection_with_rule, deliver, greenhouse_stage_change
from tests.delivery import pushing
from tests.factories import InterviewerFactory, UserFactory
from tests.import_pages import user_with

State = AtsDelivery.State
pytestmark = pushing


@pytest.fixture
def admin_user():
    return UserFactory(username="boss", is_superuser=True)


@pytest.fixture
def interviewer():
    return InterviewerFactory(name="Designer AI interview")


def _change_url(connection: AtsConnection) -> str:
    return reverse("admin:ingestion_atsconnection_change", args=[connection.pk])


def _test(client, connection: AtsConnection):
    url = reverse("admin:ingestion_atsconnection_test", args=[connection.pk])
    return client.post(url, follow=True)


@pytest.mark.parametrize("kind", list(Kind))
def test_the_test_event_goes_through_the_url_and_says_which_rule_would_apply(
    client, admin_user, interviewer, kind, api
):
    connection = connection_with_rule(interviewer, kind=kind, job="Designer", stage="AI Interview")
    client.force_login(admin_user)

    page = _test(client, connection)

    said = messages_of(page)
    assert said == [
        "The test event was accepted (HTTP 200). Test event, nothing written. Stage "
        "“AI Interview” of job “Designer” meets the rule “AI Interview of Designer”, which "
        "would make Test Candidate a candidate of “Designer AI interview” and push it at once."
    ]
    assert not Candidate.objects.exists()
    delivery = AtsDelivery.objects.get()
    assert (delivery.connection, delivery.state) == (connection, State.TEST)
    assert delivery.get_state_display() == "Test event"
    assert api.log == []


def test_a_test_event_of_a_connection_without_rules_says_no_rule_matched(client, admin_user):
    connection = AtsConnection.objects.create(
        name="Lever", slug="lever", kind=Kind.GENERIC, secret="s3"
    )
    client.force_login(admin_user)

    said = messages_of(_test(client, connection))

    assert said == [
        "The test event was accepted (HTTP 200). Test event, nothing written. Ignored: stage "
        "“AI Interview” of job “Example job” has no rule. To make candidates of it, add a rule "
        "to this connection with job “Example job” and stage “AI Interview” (or either left "
        "blank for any)."
    ]
    assert AtsDelivery.objects.get().state == State.TEST


def test_a_test_event_of_an_inactive_connection_is_refused_in_words(
    client, admin_user, interviewer
):
    connection = connection_with_rule(interviewer)
    connection.active = False
    connection.save()
    client.force_login(admin_user)

    said = messages_of(_test(client, connection))

    assert said == [
        "The test event was refused with HTTP 404: No active ATS connection has this address."
    ]


def test_the_connection_page_shows_the_url_the_events_and_the_refusals(
    client, admin_user, interviewer
):
    connection = connection_with_rule(interviewer)
    deliver(client, connection, {"action": "ping"}, secret="wrong")
    client.force_login(admin_user)

    page = client.get(_change_url(connection)).content.decode()

    assert "http://testserver/webhooks/ats/our-greenhouse/" in page
    assert "Candidate has changed stage" in page
    assert (
        'id="ats-refused">1 delivery refused because the signature or token did not match '
        "the secret, the last at"
    ) in page
    assert 'id="ats-test-button"' in page


def test_the_connection_form_speaks_in_words(client, admin_user, interviewer):
    connection = connection_with_rule(interviewer)
    client.force_login(admin_user)

    page = client.get(_change_url(connection))

    html = page.content.decode()
    assert 'id="ats-refused">No delivery has been refused.<' in html
    assert '<label class="required" for="id_slug">Address name:</label>' in html
    assert "404" not in page.context["adminform"].form.fields["active"].help_text
    assert "Slug" not in html


def test_a_new_connection_comes_with_a_generated_secret(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:ingestion_atsconnection_add"))
    secret = page.context["adminform"].form.initial["secret"]
    assert len(secret) >= 40
    assert "ats-set-up" not in page.content.decode()


def test_the_test_button_needs_the_change_permission(client, interviewer):
    connection = connection_with_rule(interviewer)
    client.force_login(user_with("view_atsconnection"))
    assert _test(client, connection).status_code == 403
    assert not AtsDelivery.objects.exists()


def test_the_inbox_is_read_only_and_shows_what_each_delivery_did(client, admin_user, interviewer):
    connection = connection_with_rule(interviewer, stage="Phone Screen")
    deliver(client, connection, greenhouse_stage_change(stage="Offer"))
    delivery = AtsDelivery.objects.get()
    client.force_login(admin_user)

    listing = client.get(changelist_url(AtsDelivery)).content.decode()
    page = client.get(reverse("admin:ingestion_atsdelivery_change", args=[delivery.pk]))

    assert "Ignored: stage “Offer” of job “Designer” has no rule. To make" in listing
    assert '<td class="field-event_words">Stage changed</td>' in listing
    assert "candidate_stage_change" not in listing
    assert page.status_code == 200
    assert "Stage changed (<code>candidate_stage_change</code>)" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:ingestion_atsdelivery_add")).status_code == 403


def test_apply_again_uses_a_rule_added_since(client, admin_user, interviewer, api):
    connection = connection_with_rule(interviewer, stage="Phone Screen")
    deliver(client, connection, greenhouse_stage_change(stage="Offer"))
    connection.rules.create(interviewer=interviewer, stage="offer", push=False)
    client.force_login(admin_user)

    answer = run_action(client, AtsDelivery, "apply_again", list(AtsDelivery.objects.all()))

    assert messages_of(answer) == ["1 delivery applied again."]
    delivery = AtsDelivery.objects.get()
    assert delivery.state == State.APPLIED
    assert delivery.candidate == Candidate.objects.get()
    assert api.log == []


def test_apply_again_never_counts_a_test_event(client, admin_user, interviewer, api):
    connection = connection_with_rule(interviewer, job="Designer", stage="AI Interview")
    client.force_login(admin_user)
    _test(client, connection)

    answer = run_action(client, AtsDelivery, "apply_again", list(AtsDelivery.objects.all()))

    assert messages_of(answer) == [
        "0 deliveries applied again. 1 test event left as received: a test is never applied."
    ]
    assert AtsDelivery.objects.get().state == State.TEST
    listing = client.get(changelist_url(AtsDelivery)).content.decode()
    assert 'state-badge state-ats-test" title="">Test event<' in listing
    assert not Candidate.objects.exists()


def test_any_other_sender_is_shown_the_json_to_post(client, admin_user):
    connection = AtsConnection.objects.create(
        name="Lever", slug="lever", kind=Kind.GENERIC, secret="s3"
    )
    client.force_login(admin_user)

    page = client.get(_change_url(connection))

    assert "README" not in page.content.decode()
    shown = json.loads(page.context["example_body"])
    assert shown["email"] == "linus@example.com" and shown["stage"] == "AI Interview"
    assert '<pre class="ats-example" id="ats-example">{' in page.content.decode()


def test_apply_again_leaves_a_delivery_that_made_a_candidate(client, admin_user, interviewer):
    connection = connection_with_rule(interviewer, push=False)
    deliver(client, connection, greenhouse_stage_change())
    client.force_login(admin_user)

    answer = run_action(client, AtsDelivery, "apply_again", list(AtsDelivery.objects.all()))

    assert messages_of(answer) == ["0 deliveries applied again."]
    assert Candidate.objects.count() == 1


def test_apply_again_applies_a_delivery_no_worker_took(client, admin_user, interviewer, api):
    connection = connection_with_rule(interviewer, push=False)
    body = greenhouse_stage_change()
    raw = json.dumps(body).encode()
    ats_delivery_keep(connection=connection, raw=raw, body=body, headers={}, digest="d-1")
    client.force_login(admin_user)

    answer = run_action(client, AtsDelivery, "apply_again", list(AtsDelivery.objects.all()))

    assert messages_of(answer) == ["1 delivery applied again."]
    assert AtsDelivery.objects.get().state == State.APPLIED
    assert Candidate.objects.get().name == "Giuseppe Hurley"


def test_apply_again_needs_the_change_permission_on_connections(client, interviewer):
    connection = connection_with_rule(interviewer, stage="Phone Screen")
    deliver(client, connection, greenhouse_stage_change(stage="Offer"))
    client.force_login(user_with("view_atsdelivery"))

    answer = run_action(client, AtsDelivery, "apply_again", list(AtsDelivery.objects.all()))

    assert answer.status_code == 403
    assert AtsDelivery.objects.get().state == State.IGNORED
