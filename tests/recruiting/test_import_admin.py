import csv
import io
import os
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from ingestion.models import IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.fixtures import golden, golden_interviewers
from tests.import_pages import (
    CONFIRM,
    IMPORT,
    confirm,
    initial,
    map_columns,
    page_text,
    upload,
    uploads,
    user_with,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

CHANGELIST = reverse("admin:recruiting_candidate_changelist")


@pytest.fixture
def interviewers():
    return golden_interviewers()


@pytest.fixture
def recruiter(client):
    client.force_login(user_with("view_candidate", "import_candidate", "push_candidate"))
    return client


# --- the button and the permission --------------------------------------------------------------


def test_the_candidate_list_has_an_import_button_for_importers(recruiter):
    page = recruiter.get(CHANGELIST)

    assert 'class="import_link"' in page.content.decode()


def test_a_user_without_the_import_permission_gets_no_button_and_a_403(client, interviewers):
    client.force_login(user_with("view_candidate", "change_candidate", "add_candidate"))

    assert "import_link" not in client.get(CHANGELIST).content.decode()
    assert client.get(IMPORT).status_code == 403
    assert upload(client, golden("candidates_messy.csv")).status_code == 403
    assert client.post(CONFIRM, {"import_file_name": "0" * 32}).status_code == 403
    assert not Candidate.objects.exists()


# --- upload, preview, confirm -------------------------------------------------------------------


def test_the_preview_counts_rows_names_ignored_columns_and_lists_problems(recruiter, interviewers):
    preview = map_columns(recruiter, upload(recruiter, golden("candidates_messy.csv")))
    page = preview.content.decode()

    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.counts["new"], result.counts["invalid"]) == (3, 1)
    assert "Ignored columns" in page and "<code>Notes</code>" in page
    assert "Duplicate row: row 2 already has jose.nunez@example.com" in page
    assert "Import only the 3 valid rows and leave the 1 invalid row out" in page
    assert not Candidate.objects.exists()


def test_an_upload_waits_in_shared_storage_until_confirmed(recruiter, interviewers, media):
    preview = map_columns(recruiter, upload(recruiter, golden("candidates_messy.csv")))
    assert uploads(media) == [initial(preview)["import_file_name"]]

    confirm(recruiter, preview, valid_only="on")

    assert uploads(media) == []


def test_confirming_with_invalid_rows_writes_nothing_until_valid_rows_only_is_chosen(
    recruiter, interviewers
):
    preview = map_columns(recruiter, upload(recruiter, golden("candidates_messy.csv")))

    refused = confirm(recruiter, preview)
    assert refused.status_code == 200
    assert "Nothing is imported while rows are invalid" in refused.content.decode()
    assert not Candidate.objects.exists()

    done = confirm(recruiter, preview, valid_only="on")
    assert done.status_code == 302 and done.url == CHANGELIST
    assert Candidate.objects.count() == 3
    said = [str(message) for message in done.wsgi_request._messages]
    assert said[0] == "Import finished: 3 new, 0 updated, 0 unchanged."
    assert "1 invalid row left out: row 7." in said


def test_an_xlsx_upload_with_a_default_interviewer_imports(recruiter, interviewers):
    backend, _ = interviewers
    preview = map_columns(
        recruiter, upload(recruiter, golden("candidates_messy.xlsx"), interviewer=backend.pk)
    )
    confirm(recruiter, preview, valid_only="on")

    assert set(Candidate.objects.values_list("email", "interviewer")) == {
        ("ana@example.com", backend.pk),
        ("emile@example.fr", backend.pk),
    }


def test_a_large_file_previews_one_page_of_rows(recruiter, interviewers):
    backend, _ = interviewers
    rows = "".join(f"Person {n},person{n}@example.com\n" for n in range(2000))
    preview = upload(recruiter, f"name,email\n{rows}".encode(), interviewer=backend.pk)
    page = preview.content.decode()

    assert "The first 100 of 2000 rows" in page
    assert "person99@example.com" in page and "person100@example.com" not in page
    assert len(page) < 100_000


def test_more_problems_than_a_page_can_be_downloaded_as_csv(recruiter, interviewers):
    backend, _ = interviewers
    rows = "".join(f"Person {n},not-an-email-{n}\n" for n in range(600))
    preview = upload(recruiter, f"name,email\n{rows}".encode(), interviewer=backend.pk)
    page = preview.content.decode()
    assert "and 100 more" in page

    download = recruiter.get(preview.context["problems_url"])
    problems = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert problems[0] == ["row", "column", "problem"]
    assert len(problems) == 601
    assert problems[-1] == ["601", "email", "“not-an-email-599” is not a valid email address."]


def test_a_file_that_cannot_be_read_is_explained_on_the_form(recruiter, interviewers, media):
    page = upload(recruiter, "name,email\nAdà,a@example.com\n".encode("latin-1"))

    assert "The file is not UTF-8 text" in page.content.decode()
    assert "result" not in page.context or page.context["result"] is None
    assert uploads(media) == []


def test_confirming_an_upload_that_is_no_longer_kept_asks_to_upload_again(recruiter, settings):
    settings.IMPORT_UPLOAD_MAX_AGE_HOURS = 24
    answer = recruiter.post(
        CONFIRM,
        {"import_file_name": "f" * 32, "original_file_name": "a.csv", "format": "csv"},
    )

    assert answer.status_code == 302 and answer.url == IMPORT
    said = [str(message) for message in answer.wsgi_request._messages]
    assert said == [
        "The uploaded file is no longer kept (uploads are removed after 24 hours): upload it again."
    ]


def test_an_upload_name_that_is_a_path_is_refused(recruiter):
    answer = recruiter.post(
        CONFIRM,
        {"import_file_name": "../../settings.py", "original_file_name": "a", "format": "csv"},
    )

    assert answer.status_code == 302 and answer.url == IMPORT
    assert not Candidate.objects.exists()


def test_stale_uploads_are_removed_by_the_command(recruiter, interviewers, media):
    old = map_columns(recruiter, upload(recruiter, golden("candidates_messy.csv")))
    fresh = upload(recruiter, golden("candidates_errors.csv"))
    old_name = initial(old)["import_file_name"]
    day_ago = time.time() - 25 * 3600
    os.utime(media / "django-import-export" / old_name, (day_ago, day_ago))

    out = io.StringIO()
    call_command("remove_stale_uploads", stdout=out)

    assert out.getvalue() == "Removed 1 upload older than 24 hours.\n"
    assert uploads(media) == [initial(fresh)["import_file_name"]]


def test_the_periodic_task_removes_stale_uploads_too(recruiter, interviewers, media):
    from recruiting.tasks import remove_stale_uploads_task

    preview = map_columns(recruiter, upload(recruiter, golden("candidates_messy.csv")))
    day_ago = time.time() - 25 * 3600
    os.utime(media / "django-import-export" / initial(preview)["import_file_name"], (day_ago,) * 2)

    assert remove_stale_uploads_task.apply().get() == 1
    assert uploads(media) == []


def test_push_after_import_needs_the_push_permission(client, interviewers):
    backend, _ = interviewers
    client.force_login(user_with("view_candidate", "import_candidate"))
    preview = upload(client, b"name,email\nAda,ada@example.com\n", interviewer=backend.pk)
    assert "push" not in preview.context["form"].fields

    forged = confirm(client, preview, push="True")

    assert forged.status_code == 403
    assert not Candidate.objects.exists()


# --- push after import --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_push_after_import_sends_the_imported_candidates(recruiter, interviewers, api, ingest_path):
    backend, _ = interviewers
    api.expect_request(ingest_path, method="POST").respond_with_json(
        {"data": [{"id": "up-1", "email": "ada@example.com"}]}, status=201
    )
    preview = upload(
        recruiter,
        b"name,email,additional:Manual Score\nAda Lovelace,ADA@example.com,72\n",
        interviewer=backend.pk,
        skills="python",
        push="on",
    )
    assert "the new and updated candidates are pushed" in preview.content.decode()

    done = confirm(recruiter, preview)

    assert done.status_code == 302
    ada = Candidate.objects.get()
    assert (ada.state, ada.upstream_id) == (Candidate.State.SENT, "up-1")
    request = IngestionRequest.objects.get()
    assert request.trigger == Trigger.IMPORT
    assert request.request_body["interviewerId"] == str(backend.external_id)
    assert request.request_body["data"] == [
        {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "skills": ["python"],
            "additionalFields": {"Manual Score": 72},
        }
    ]
    said = " ".join(str(message) for message in done.wsgi_request._messages)
    assert "1 candidate sent to InterviewFlowAI." in said


def test_a_file_with_no_importable_row_says_why_and_offers_to_upload_again(
    admin_client, interviewers
):
    backend = interviewers[0]
    preview = upload(admin_client, b"name,email\nAda,not-an-address\n", interviewer=backend.pk)

    html = preview.content.decode()
    assert "No row of this file can be imported" in html
    again = f"{IMPORT}?interviewer={backend.pk}"
    assert f'href="{again}" class="button default">Upload again</a>' in html
    assert not Candidate.objects.exists()


def test_uploading_again_keeps_the_choices_made(admin_client, interviewers):
    backend = interviewers[0]
    page = admin_client.get(f"{IMPORT}?interviewer={backend.pk}&skills=python&push=1")

    form = page.context["form"]
    assert form["interviewer"].value() == str(backend.pk)
    assert form["skills"].value() == "python"
    assert form["push"].value() is True


def test_a_file_with_only_its_header_row_is_refused_on_the_upload(
    admin_client, interviewers, media
):
    backend = interviewers[0]
    page = upload(admin_client, b"who,where\n\n", interviewer=backend.pk)

    assert "proposal" not in page.context and page.context["result"] is None
    assert page.context["form"].errors["import_file"] == [
        "The file has a header row but no row of candidates under it: add one row per candidate."
    ]
    assert page.context["form"]["interviewer"].value() == str(backend.pk)
    assert uploads(media) == []


def test_the_upload_explains_each_column_code_in_words(admin_client):
    text = page_text(admin_client.get(IMPORT).content.decode())

    assert "send_email_after (hours, 1 to 96, to wait before the invitation email)" in text
    assert "additional:Key (an additional field under that key)" in text
    assert "metadata:Key (metadata under that key)" in text
