import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ingestion.models import IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.factories import InterviewerFactory, UserFactory
from tests.fixtures import golden, golden_interviewers
from tests.import_pages import map_columns, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviewers():
    return golden_interviewers()


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_candidates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_invalid_rows_stop_the_import_and_the_command_fails(interviewers):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"candidates_messy\.csv: 4 rows: 3 new"):
        call_command(
            "import_candidates", str(golden("candidates_messy.csv")), stdout=out, stderr=err
        )

    assert not Candidate.objects.exists()
    assert err.getvalue().splitlines()[0] == (
        "Row 7, email: Duplicate row: row 2 already has jose.nunez@example.com for "
        "“Backend Engineer”. Keep one of the two rows."
    )
    assert "Nothing is imported while rows are invalid: 1 row is invalid." in err.getvalue()
    assert "Ignored columns (not imported): “Notes”." in out.getvalue()


def test_valid_only_imports_the_valid_rows(interviewers):
    out, _ = run(str(golden("candidates_messy.csv")), "--valid-only")

    assert "Import finished: 3 new, 0 updated, 0 unchanged." in out
    assert "1 invalid row left out: row 7." in out
    assert Candidate.objects.count() == 3


def test_dry_run_writes_nothing(interviewers):
    out, _ = run(
        str(golden("candidates_messy.xlsx")),
        "--interviewer",
        "Backend Engineer",
        "--dry-run",
        "--valid-only",
    )

    assert out.splitlines()[0] == (
        "Dry run: 3 rows: 2 new, 0 updated, 0 unchanged, 0 not changed: already sent, "
        "1 invalid. Nothing was written."
    )
    assert not Candidate.objects.exists()


def test_interviewer_status_and_skills_options_apply_to_every_row(interviewers):
    backend, _ = interviewers
    run(
        str(golden("candidates_messy.xlsx")),
        "--interviewer",
        str(backend.external_id),
        "--status",
        "shortlisted",
        "--skills",
        "aws",
        "go|rust",
        "--valid-only",
    )

    emile = Candidate.objects.get(email="emile@example.fr")
    assert (emile.interviewer, emile.status) == (backend, "shortlisted")
    assert emile.skills == ["java", "spring", "aws", "go", "rust"]


def test_an_unknown_default_interviewer_is_refused(interviewers):
    with pytest.raises(CommandError, match="No Interviewer has the id or name “Nobody”"):
        run(str(golden("candidates_messy.xlsx")), "--interviewer", "Nobody")


def test_a_default_interviewer_named_by_a_shared_name_is_refused(interviewers):
    backend, _ = interviewers
    InterviewerFactory(name=backend.name.upper())

    with pytest.raises(CommandError, match="2 Interviewers are called “Backend Engineer”: give"):
        run(str(golden("candidates_messy.xlsx")), "--interviewer", "Backend Engineer")

    assert not Candidate.objects.exists()


def test_a_file_that_cannot_be_read_fails_with_the_reason(tmp_path, interviewers):
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 an old workbook")

    with pytest.raises(CommandError, match=r"old.xls: This is an old Excel \(.xls\) file"):
        run(str(bad))


def test_the_command_says_what_the_admin_says(client, interviewers, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    preview = map_columns(client, upload(client, golden("candidates_messy.csv")))
    form = preview.context["confirm_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    done = client.post(
        reverse("admin:recruiting_candidate_process_import"), {**data, "valid_only": "on"}
    )
    admin_said = [str(message) for message in done.wsgi_request._messages]
    Candidate.objects.all().delete()

    out, _ = run(str(golden("candidates_messy.csv")), "--valid-only")

    assert admin_said == out.splitlines()


@pytest.mark.django_db(transaction=True)
def test_push_sends_the_imported_candidates(interviewers, api, ingest_path, tmp_path):
    api.expect_request(ingest_path, method="POST").respond_with_json({"data": []}, status=201)
    file = tmp_path / "one.csv"
    file.write_text("name,email,interviewer\nAda,ada@example.com,Backend Engineer\n")

    out, _ = run(str(file), "--push")

    assert Candidate.objects.get().state == Candidate.State.SENT
    assert IngestionRequest.objects.get().trigger == Trigger.IMPORT
    assert "1 candidate sent to InterviewFlowAI." in out
