"""A recruiter's day in the admin, in a real browser: import, edit, push, follow, read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from playwright.sync_api import Page

from ingestion.delivery.queueing import push_batch_create
from ingestion.models import IngestionRequest, PushBatch
from recruiting.models import Candidate, Interviewer
from tests.e2e.conftest import (
    action_names,
    choose_action,
    list_column,
    log_in,
    messages,
    recruiter,
    screenshot,
    submit,
    tick,
)
from tests.factories import CandidateFactory, InterviewerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Pasted from InterviewFlowAI when the recruiter adds the Interviewer.
PLATFORM_INTERVIEWER_ID = "7c1e4b2a-9d3f-4a6e-8b5c-2f0d1e3a4b5c"
NAMES = ["Katherine Johnson", "Dorothy Vaughan", "Mary Jackson", "Christine Darden"]
WITH_A_BAD_EMAIL = """name,email,skills
Katherine Johnson,katherine@example.com,python; aws
Dorothy Vaughan,DOROTHY@example.com ,fortran
Mary Jackson,mary@example,
Christine Darden,christine@example.com,
"""
CORRECTED = WITH_A_BAD_EMAIL.replace("mary@example,", "mary@example.com,")


def write_csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def open_the_import_page(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/admin/recruiting/candidate/")
    submit(page, "a.import_link")


def check_the_file(page: Page, path: Path, interviewer: str) -> None:
    """Choose the file and the default Interviewer, and send them for a preview."""
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_interviewer", label=interviewer)
    submit(page, "input[value='Check the file']")


def import_counts(page: Page) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            ".import-counts tr",
            "rows => rows.map(r => [r.querySelector('th').innerText,"
            " r.querySelector('td').innerText])",
        )
    )


def table_rows(page: Page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"{selector} tbody tr",
        "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))",
    )


def set_skills(page: Page, names: list[str], mode: str, skills: str) -> None:
    tick(page, *names)
    choose_action(page, "set_skills_action")
    page.check(f"input[name=mode][value={mode}]")
    page.fill("input[name=skills]", skills)
    submit(page, "input[name=apply]")


def push_actions() -> list[str]:
    """The Candidate actions that send, or could send, candidates: they need the push permission."""
    model_admin = admin.site._registry[Candidate]
    return [
        name
        for name in model_admin.actions
        if "push" in getattr(getattr(type(model_admin), name), "allowed_permissions", ())
    ]


def test_a_recruiter_imports_a_spreadsheet_sets_skills_pushes_and_reads_the_history(
    page, sandbox, uploads, tmp_path
):
    recruiter("ada")
    log_in(page, sandbox, "ada")
    page.goto(f"{sandbox}/admin/recruiting/interviewer/add/")
    page.fill("#id_external_id", PLATFORM_INTERVIEWER_ID)
    page.fill("#id_name", "Platform Engineer")
    page.fill("#id_skills", '["go", "kubernetes"]')
    submit(page, "input[name=_save]")
    assert "was added successfully" in messages(page)
    interviewer = Interviewer.objects.get(name="Platform Engineer")
    assert str(interviewer.external_id) == PLATFORM_INTERVIEWER_ID
    assert interviewer.skills == ["go", "kubernetes"]

    open_the_import_page(page, sandbox)
    assert page.is_visible("input[type=checkbox][name=push]")
    check_the_file(page, write_csv(tmp_path, "team.csv", WITH_A_BAD_EMAIL), "Platform Engineer")
    assert page.inner_text("h2") == "Preview of team.csv"
    assert import_counts(page) == {
        "New": "3",
        "Updated": "0",
        "Unchanged": "0",
        "Not changed: already sent": "0",
        "Invalid": "1",
    }
    assert page.inner_text("#import-problems") == "1 invalid row"
    assert table_rows(page, "table.import-problems") == [
        ["4", "email", "“mary@example” is not a valid email address."]
    ]
    screenshot(page, "import-preview")
    page.check("#confirm_valid_only")
    submit(page, "input[name=confirm]")
    said = messages(page)
    assert "Import finished: 3 new, 0 updated, 0 unchanged." in said
    assert "1 invalid row left out: row 4." in said
    assert sorted(interviewer.candidates.values_list("name", flat=True)) == sorted(
        set(NAMES) - {"Mary Jackson"}
    )

    open_the_import_page(page, sandbox)
    check_the_file(page, write_csv(tmp_path, "team.csv", CORRECTED), "Platform Engineer")
    assert import_counts(page)["New"] == "1"
    assert import_counts(page)["Unchanged"] == "3"
    assert import_counts(page)["Invalid"] == "0"
    assert page.locator("#import-problems").count() == 0
    submit(page, "input[name=confirm]")
    assert "Import finished: 1 new, 0 updated, 3 unchanged." in messages(page)
    assert interviewer.candidates.count() == 4

    set_skills(page, NAMES, "replace", "go, terraform")
    assert "4 candidates updated." in messages(page)
    set_skills(page, NAMES, "add", "sql")
    assert "4 candidates updated." in messages(page)
    assert list_column(page, "skills_display") == dict.fromkeys(NAMES, "go, terraform, sql")

    tick(page, *NAMES)
    choose_action(page, "push_action")
    assert "4 candidates sent to InterviewFlowAI." in messages(page)
    submit(page, "a.push-progress-link")
    page.wait_for_selector("#push-status[data-finished=true]")
    assert page.inner_text("#push-status") == "Finished: 4 candidates sent."
    counts = {
        state: page.inner_text(f"#progress-count-{state}")
        for state in ("queued", "sending", "sent", "failed", "unconfirmed")
    }
    assert counts == {"queued": "0", "sending": "0", "sent": "4", "failed": "0", "unconfirmed": "0"}
    screenshot(page, "progress")

    submit(page, "#push-history-link")
    assert page.locator("#result_list tbody tr").count() == 1
    submit(page, "#result_list tbody tr th a")
    body = json.loads(page.inner_text(".field-request_body_display pre"))
    assert body["interviewerId"] == str(interviewer.external_id)
    assert body["skills"] == ["go", "terraform", "sql"]
    assert sorted(item["name"] for item in body["data"]) == sorted(NAMES)
    assert {tuple(item["skills"]) for item in body["data"]} == {("go", "terraform", "sql")}
    assert page.inner_text(".field-http_status .readonly") == "201"
    assert page.locator("a.historylink").count() == 0
    response = json.loads(page.inner_text(".field-response_body_display pre"))
    assert sorted(item["email"] for item in response["data"]) == sorted(
        Candidate.objects.values_list("email", flat=True)
    )
    screenshot(page, "history")


def test_a_staff_user_without_the_push_permission_imports_and_edits_but_cannot_push(
    page, sandbox, uploads, tmp_path
):
    InterviewerFactory(name="Platform Engineer")
    grace = UserFactory(username="grace")
    grace.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_candidate",
                "add_candidate",
                "change_candidate",
                "import_candidate",
                "view_interviewer",
            ]
        )
    )
    log_in(page, sandbox, "grace")

    open_the_import_page(page, sandbox)
    assert page.locator("input[name=push]").count() == 0
    check_the_file(page, write_csv(tmp_path, "team.csv", CORRECTED), "Platform Engineer")
    assert import_counts(page)["New"] == "4"
    submit(page, "input[name=confirm]")
    assert "Import finished: 4 new, 0 updated, 0 unchanged." in messages(page)

    offered = action_names(page)
    assert {"push_action", "resend_action"} <= set(push_actions())
    assert not set(push_actions()) & set(offered)
    assert {"set_status_action", "set_skills_action"} <= set(offered)
    set_skills(page, NAMES, "replace", "go")
    assert "4 candidates updated." in messages(page)

    # A hand-edited form that asks for the push anyway is refused, and nothing moves.
    page.eval_on_selector(
        "select[name=action]", "select => select.add(new Option('Push', 'push_action'))"
    )
    tick(page, *NAMES)
    refused = choose_action(page, "push_action")
    assert refused.status == 403
    assert set(Candidate.objects.values_list("state", flat=True)) == {Candidate.State.NEW}
    assert not PushBatch.objects.exists()
    assert not IngestionRequest.objects.exists()

    someone_elses = push_batch_create(
        candidate_ids=[CandidateFactory(state=Candidate.State.SENT).pk], user=None
    )
    progress = f"{sandbox}/admin/ingestion/ingestionrequest/push/{someone_elses.pk}/"
    assert page.goto(progress).status == 403
    assert page.goto(f"{progress}status.json").status == 403
    assert page.locator("#push-progress").count() == 0
