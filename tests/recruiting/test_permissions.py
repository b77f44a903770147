"""Who may push, who may only look, and the ready-made Recruiters group."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ingestion.delivery.queueing import push_batch_create
from ingestion.models import DeliveryStatus, IngestionRequest, PushBatch
from recruiting.models import Candidate, Interviewer
from recruiting.permissions import RECRUITERS, recruiters_group_ensure
from tests.admin_pages import action_choices, changelist_url, run_action
from tests.delivery import pushing
from tests.factories import (
    CandidateFactory,
    IngestionRequestFactory,
    InterviewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

State = Candidate.State
CANDIDATES = changelist_url(Candidate)
RECRUITER_CODENAMES = {
    "view_candidate",
    "add_candidate",
    "change_candidate",
    "push_candidate",
    "view_interviewer",
    "add_interviewer",
    "change_interviewer",
    "view_ingestionrequest",
    "view_webhookevent",
    "apply_webhookevent",
    "view_importmapping",
    "add_importmapping",
    "change_importmapping",
    "delete_importmapping",
}
SPREADSHEET_CODENAMES = {
    "import_candidate",
    "export_candidate",
    "export_interviewer",
    "export_ingestionrequest",
}


def push_actions() -> list[str]:
    """Every Candidate action that sends or could send: those needing the push permission."""
    model_admin = admin.site._registry[Candidate]
    return [
        name
        for name in model_admin.actions
        if "push" in getattr(getattr(type(model_admin), name), "allowed_permissions", ())
    ]


def staff_with(*codenames: str):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def recruiter():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=RECRUITERS))
    return user


def history_row(candidate: Candidate) -> IngestionRequest:
    return IngestionRequestFactory(interviewer=candidate.interviewer, candidates=[candidate])


# --- the Recruiters group -----------------------------------------------------------------------


def test_migrate_creates_the_recruiters_group_with_what_a_recruiter_needs():
    group = Group.objects.get(name=RECRUITERS)

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert codenames >= RECRUITER_CODENAMES
    existing = set(
        Permission.objects.filter(codename__in=SPREADSHEET_CODENAMES).values_list(
            "codename", flat=True
        )
    )
    assert codenames == RECRUITER_CODENAMES | existing
    assert not codenames & {"delete_candidate", "delete_interviewer"}


def test_the_group_is_made_once_and_what_staff_change_in_it_stays():
    group = Group.objects.get(name=RECRUITERS)
    group.permissions.remove(Permission.objects.get(codename="push_candidate"))

    call_command("migrate", verbosity=0)
    recruiters_group_ensure()

    assert Group.objects.filter(name=RECRUITERS).count() == 1
    assert not group.permissions.filter(codename="push_candidate").exists()


def test_spreadsheet_permissions_that_do_not_exist_are_left_out(settings):
    settings.IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "bring_in"
    settings.IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "take_out"
    Group.objects.filter(name=RECRUITERS).delete()

    group = recruiters_group_ensure()

    assert set(group.permissions.values_list("codename", flat=True)) == RECRUITER_CODENAMES


def test_a_recruiter_can_add_change_push_and_read_the_history(client):
    client.force_login(recruiter())
    candidate = CandidateFactory()
    row = history_row(candidate)

    listing = client.get(CANDIDATES)
    assert listing.status_code == 200
    assert set(push_actions()) <= set(action_choices(listing))
    assert client.get(reverse("admin:recruiting_candidate_add")).status_code == 200
    change = reverse("admin:recruiting_candidate_change", args=[candidate.pk])
    assert client.get(change).status_code == 200
    assert client.get(changelist_url(Interviewer)).status_code == 200
    assert client.get(reverse("admin:recruiting_interviewer_add")).status_code == 200
    history = reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])
    assert client.get(history).status_code == 200
    assert (
        client.get(reverse("admin:recruiting_candidate_delete", args=[candidate.pk])).status_code
        == 403
    )


# --- staff without the push permission ----------------------------------------------------------


@pytest.fixture
def editor(client):
    """A staff user who may edit candidates but not send them."""
    client.force_login(staff_with("view_candidate", "change_candidate", "view_ingestionrequest"))
    return client


def test_push_preview_and_resend_exist_and_need_the_push_permission():
    assert {"push_action", "preview_action", "resend_action"} <= set(push_actions())


def test_staff_without_the_push_permission_see_no_action_that_sends(editor):
    CandidateFactory()

    choices = action_choices(editor.get(CANDIDATES))

    assert "set_status_action" in choices
    assert not set(push_actions()) & set(choices)


@pytest.mark.parametrize("action", ["push_action", "preview_action", "resend_action"])
def test_staff_without_the_push_permission_get_403_on_actions_that_send(editor, action):
    candidate = CandidateFactory(state=State.FAILED)

    response = run_action(editor, Candidate, action, [candidate])

    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.state == State.FAILED
    assert PushBatch.objects.count() == 0


def test_every_push_action_answers_403_without_the_permission(editor):
    candidate = CandidateFactory()

    for action in push_actions():
        assert run_action(editor, Candidate, action, [candidate]).status_code == 403


def test_staff_without_the_push_permission_get_403_on_the_progress_of_a_push(editor):
    batch = push_batch_create(candidate_ids=[CandidateFactory().pk])

    assert editor.get(reverse("admin:ingestion_push_progress", args=[batch.pk])).status_code == 403
    status = reverse("admin:ingestion_push_progress_json", args=[batch.pk])
    assert editor.get(status).status_code == 403


def test_staff_without_the_push_permission_cannot_resume_delivery(editor):
    DeliveryStatus.objects.create(pk=1, paused_at=timezone.now(), paused_reason="key rejected")

    response = editor.post(reverse("admin:ingestion_delivery_resume"))

    assert response.status_code == 403
    assert DeliveryStatus.current().paused
    assert "Resume delivery" not in editor.get(CANDIDATES).content.decode()


def test_a_user_with_no_action_at_all_still_gets_403_for_a_push(client):
    client.force_login(staff_with("view_candidate"))
    candidate = CandidateFactory()

    assert run_action(client, Candidate, "push_action", [candidate]).status_code == 403


def test_an_unknown_action_is_not_a_403(admin_client):
    response = run_action(admin_client, Candidate, "no_such_action", [CandidateFactory()])

    assert response.status_code == 302


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    batch = push_batch_create(candidate_ids=[CandidateFactory().pk])

    response = client.get(reverse("admin:ingestion_push_progress_json", args=[batch.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pushing
def test_staff_without_the_push_permission_neither_see_nor_run_push_or_resend(client, api):
    editor = staff_with("view_candidate", "change_candidate")
    client.force_login(editor)
    candidate = CandidateFactory(state=State.FAILED)

    listing = client.get(changelist_url(Candidate))
    choices = action_choices(listing)
    assert {"set_status_action", "set_skills_action"} <= set(choices)
    assert not {"push_action", "resend_action"} & set(choices)

    for action in ("push_action", "resend_action"):
        response = run_action(client, Candidate, action, [candidate])
        assert response.status_code == 403
    resend = client.post(
        changelist_url(Candidate),
        {
            "action": "resend_action",
            "_selected_action": [candidate.pk],
            "apply": "Resend",
            "confirm": "on",
        },
    )
    assert resend.status_code == 403
    assert api.log == []
    candidate.refresh_from_db()
    assert (candidate.state, candidate.resend_requested_by) == (State.FAILED, None)


def test_staff_with_the_push_permission_see_push_and_resend(client):
    client.force_login(staff_with("view_candidate", "change_candidate", "push_candidate"))

    listing = client.get(changelist_url(Candidate))

    assert {"push_action", "resend_action"} <= set(action_choices(listing))


# --- the history is read-only for everyone ------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "recruiter"])
def test_the_history_is_read_only_for_everyone(client, admin_user, who):
    client.force_login(admin_user if who == "superuser" else recruiter())
    row = history_row(CandidateFactory())
    change = reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])

    page = client.get(change)

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"http_status": 500}).status_code == 403
    assert client.get(reverse("admin:ingestion_ingestionrequest_add")).status_code == 403
    delete = reverse("admin:ingestion_ingestionrequest_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.http_status == 201
    listing = client.get(changelist_url(IngestionRequest))
    assert "delete_selected" not in action_choices(listing)


def test_a_recruiter_keeps_interviewers_but_cannot_delete_them(client):
    client.force_login(recruiter())
    interviewer = InterviewerFactory(name="Before")
    change = reverse("admin:recruiting_interviewer_change", args=[interviewer.pk])
    delete = reverse("admin:recruiting_interviewer_delete", args=[interviewer.pk])

    response = client.post(
        change,
        {
            "name": "After",
            "external_id": str(interviewer.external_id),
            "visibility": "public",
            "skills": "[]",
            "active": "on",
        },
    )

    assert response.status_code == 302
    interviewer.refresh_from_db()
    assert interviewer.name == "After"
    assert client.post(delete, {"post": "yes"}).status_code == 403
