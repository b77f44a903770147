"""A recruiter's own spreadsheet in a real browser: its columns mapped once, then remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from recruiting.models import Candidate, ImportMapping
from tests.e2e.conftest import SCRATCH, log_in, messages, recruiter, screenshot, submit
from tests.e2e.test_recruiter_flow import (
    check_the_file,
    import_counts,
    open_the_import_page,
    write_csv,
)
from tests.factories import InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHEET = """First Name,Last Name,Email Address,Phone,Current Stage,Portfolio
Katherine,Johnson,katherine@example.com,+1 555 0101,Phone Screen,https://katherine.dev
Dorothy,Vaughan,"dorothy@example.com, dvaughan@nasa.example",+1 555 0102,Applied,
"""
NEXT_WEEK = """First Name,Last Name,Email Address,Phone,Current Stage,Portfolio
Mary,Jackson,mary@example.com,+1 555 0103,Applied,https://mary.dev
"""


def look_at(page: Page, name: str) -> None:
    """A capture to check by eye, never one of the README's."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCRATCH / f"{name}.png"), full_page=True)


@pytest.fixture
def signed_in(page: Page, sandbox: str, uploads: Path) -> None:
    """A recruiter with one Interviewer to import into, logged in."""
    InterviewerFactory(name="Platform Engineer")
    recruiter("ada")
    log_in(page, sandbox, "ada")


def mapping_rows(page: Page) -> dict[str, str]:
    """What each column of the mapping step is imported as, by its header."""
    return dict(
        page.eval_on_selector_all(
            "table.import-mapping tbody tr[id^=column-]",
            "rows => rows.map(r => [r.querySelector('th').innerText.trim(),"
            " r.querySelector('select').value + (r.querySelector('select').value.endsWith(':')"
            " ? r.querySelector('input[type=text]').value : '')])",
        )
    )


def row_of(page: Page, header: str):
    return page.locator("table.import-mapping tbody tr", has_text=header)


def test_an_unknown_column_is_mapped_once_saved_and_the_next_upload_goes_to_the_preview(
    page: Page, sandbox: str, signed_in: None, tmp_path: Path
):
    open_the_import_page(page, sandbox)
    check_the_file(page, write_csv(tmp_path, "sheet.csv", SHEET), "Platform Engineer")
    assert page.inner_text("h2") == "The columns of sheet.csv"
    assert "Not recognised: Portfolio." in page.inner_text(".import-ignored")
    assert mapping_rows(page) == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email Address": "email",
        "Phone": "metadata:Phone",
        "Current Stage": "metadata:Current Stage",
        "Portfolio": "ignore",
    }
    assert "https://katherine.dev" in row_of(page, "Portfolio").inner_text()
    row_of(page, "Portfolio").locator("select").select_option("metadata:")
    page.fill("#id_save_as", "Team sheet")
    screenshot(page, "import-columns")
    submit(page, "input[value='Continue to the preview']")

    assert "Mapping “Team sheet” saved" in messages(page)
    assert page.inner_text("h2") == "Preview of sheet.csv"
    assert "“Team sheet”" in page.inner_text(".import-mapping-used")
    assert "Portfolio as metadata:Portfolio" in page.inner_text(".import-mapped")
    assert "took dorothy@example.com" in page.inner_text("table.import-preview")
    submit(page, "input[name=confirm]")
    assert "Import finished: 2 new, 0 updated, 0 unchanged." in messages(page)
    katherine = Candidate.objects.get(email="katherine@example.com")
    assert katherine.name == "Katherine Johnson"
    assert katherine.metadata["Portfolio"] == "https://katherine.dev"
    assert ImportMapping.objects.get().name == "Team sheet"

    open_the_import_page(page, sandbox)
    check_the_file(page, write_csv(tmp_path, "next-week.csv", NEXT_WEEK), "Platform Engineer")
    assert page.inner_text("h2") == "Preview of next-week.csv"
    assert page.inner_text(".import-mapping-used") == (
        "Columns read by the saved mapping “Team sheet” (change it)."
    )
    screenshot(page, "import-preview-mapped")
    submit(page, "input[name=confirm]")
    assert Candidate.objects.get(email="mary@example.com").metadata == {
        "Phone": "+1 555 0103",
        "Current Stage": "Applied",
        "Portfolio": "https://mary.dev",
    }


NO_EMAIL_COLUMN = """Candidate,Contact Mail,Stage
Katherine Johnson,katherine@example.com,Phone Screen
Dorothy Vaughan,dorothy@example.com,Applied
"""


def test_a_sheet_without_an_email_column_is_mapped_with_its_stages_as_statuses(
    page: Page, sandbox: str, signed_in: None, tmp_path: Path
):
    open_the_import_page(page, sandbox)
    check_the_file(page, write_csv(tmp_path, "stages.csv", NO_EMAIL_COLUMN), "Platform Engineer")
    assert "The file has no “email” column." in page.inner_text(".import-missing")
    look_at(page, "import-columns-missing")
    submit(page, ".import-missing a")  # the closest header, on its row of the page
    row_of(page, "Contact Mail").locator("select").select_option("email")
    assert page.locator("#status-values-section").is_hidden()
    row_of(page, "Stage").locator("select").select_option("status")
    row_of(page, "Stage").locator("select").select_option("ignore")
    assert page.locator("#status-values-section").is_hidden()
    row_of(page, "Stage").locator("select").select_option("status")

    # The values are asked at once, each proposed as the common stages are.
    assert page.inner_text("#status-values") == "The values of the status column"
    assert page.input_value("select[name=value_0]") == "shortlisted"  # Phone Screen
    assert page.input_value("select[name=value_1]") == "draft"  # Applied
    look_at(page, "import-status-values")
    submit(page, "input[value='Continue to the preview']")
    assert page.inner_text("h2") == "Preview of stages.csv"
    submit(page, "input[name=confirm]")
    assert dict(Candidate.objects.values_list("email", "status")) == {
        "katherine@example.com": "shortlisted",
        "dorothy@example.com": "draft",
    }


def test_a_sheet_without_an_interviewer_is_given_one_on_the_mapping_step(
    page: Page, sandbox: str, signed_in: None, tmp_path: Path
):
    open_the_import_page(page, sandbox)
    page.set_input_files("#id_import_file", str(write_csv(tmp_path, "plain.csv", SHEET)))
    submit(page, "input[value='Check the file']")

    assert "No column names the Interviewer" in page.inner_text(".import-no-interviewer")
    look_at(page, "import-columns-no-interviewer")
    page.select_option("#id_interviewer", label="Platform Engineer")
    submit(page, "input[value='Continue to the preview']")

    assert page.inner_text("h2") == "Preview of plain.csv"
    assert import_counts(page)["New"] == "2"


def test_a_saved_mapping_shows_every_line_of_its_boxes(page: Page, sandbox: str, signed_in: None):
    headers = [f"Column {number}" for number in range(10)]
    saved = ImportMapping.objects.create(
        name="Wide export",
        headers=headers,
        columns={header: f"metadata:{header}" for header in headers},
        statuses={"Phone Screen": "shortlisted", "Applied": "draft"},
    )
    page.goto(f"{sandbox}/admin/recruiting/importmapping/{saved.pk}/change/")

    for name in ("headers", "columns", "statuses"):
        box = page.locator(f"#id_{name}")
        hidden = box.evaluate("b => b.scrollHeight - b.clientHeight")
        assert hidden <= 0, f"{name} hides {hidden}px of its lines"
    look_at(page, "import-mapping-saved")


def test_a_sheet_without_names_or_emails_is_told_what_is_missing(
    page: Page, sandbox: str, signed_in: None, tmp_path: Path
):
    open_the_import_page(page, sandbox)
    check_the_file(page, write_csv(tmp_path, "only-header.csv", "who,where\n"), "Platform Engineer")
    assert "no row of candidates" in page.inner_text(".errorlist")
    assert page.locator("#id_interviewer option:checked").inner_text() == "Platform Engineer"
    look_at(page, "import-header-only")

    check_the_file(
        page, write_csv(tmp_path, "who.csv", "who,where\nAda,London\n"), "Platform Engineer"
    )
    submit(page, "input[value='Continue to the preview']")
    assert "Still missing: no column is imported as the name" in page.inner_text(".errorlist")
    look_at(page, "import-columns-still-missing")
