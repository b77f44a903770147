"""The import's mapping step in the admin, and the saved mappings it makes."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from recruiting.models import Candidate, ImportMapping
from tests.factories import InterviewerFactory
from tests.fixtures import golden
from tests.import_pages import COLUMNS, confirm, initial, map_columns, page_text, upload, user_with

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

WITH_A_PORTFOLIO = b"Full Name,E-mail,Portfolio\nAda Lovelace,ada@example.com,https://ada.dev\n"
NO_EMAIL = b"Full Name,Contact Mail,Notes\nAda Lovelace,ada@example.com,met at a fair\n"
STAGES = (
    b"Name,Email,Current Stage\n"
    b"Ada Lovelace,ada@example.com,Phone Screen\n"
    b"Alan Turing,alan@example.com,Applied\n"
    b"Grace Hopper,grace@example.com,phone screen\n"
)


@pytest.fixture
def backend():
    return InterviewerFactory(name="Backend Engineer")


@pytest.fixture
def recruiter(client):
    client.force_login(user_with("view_candidate", "import_candidate"))
    return client


def chosen(page) -> dict[str, str]:
    """Each column's proposed target on the mapping step, by its header."""
    form = page.context["form"]
    return {
        column.header: target.value() + (key.value() if target.value().endswith(":") else "")
        for column, target, key in form.rows()
    }


def column_field(page, header: str) -> str:
    return next(t.html_name for c, t, _k in page.context["form"].rows() if c.header == header)


def test_our_own_headers_go_straight_to_the_preview(recruiter, backend):
    preview = upload(recruiter, b"name,email\nAda,ada@example.com\n", interviewer=backend.pk)

    assert preview.context["result"].total == 1
    assert "form" in preview.context and "proposal" not in preview.context


def test_an_unknown_column_asks_for_a_target_with_the_aliases_proposed(recruiter, backend):
    step = upload(recruiter, WITH_A_PORTFOLIO, interviewer=backend.pk)

    assert step.templates[0].name == "admin/recruiting/candidate/import_columns.html"
    assert chosen(step) == {"Full Name": "name", "E-mail": "email", "Portfolio": "ignore"}
    text = page_text(step.content.decode())
    assert "Not recognised: Portfolio" in text
    assert "Ada Lovelace" in text and "https://ada.dev" in text  # the first values


def test_mapped_and_saved_once_the_same_headers_go_straight_to_the_preview(recruiter, backend):
    step = upload(recruiter, WITH_A_PORTFOLIO, interviewer=backend.pk)
    portfolio = column_field(step, "Portfolio")
    preview = map_columns(
        recruiter,
        step,
        **{portfolio: "metadata:", f"key_{portfolio[7:]}": "Portfolio"},
        save_as="Hand-made sheet",
    )

    assert preview.context["result"].mapping_name == "Hand-made sheet"
    saved = ImportMapping.objects.get()
    assert saved.columns == {
        "Full Name": "name",
        "E-mail": "email",
        "Portfolio": "metadata:Portfolio",
    }
    assert saved.interviewer == backend
    confirm(recruiter, preview)
    assert Candidate.objects.get().metadata == {"Portfolio": "https://ada.dev"}

    again = upload(recruiter, WITH_A_PORTFOLIO.replace(b"Ada", b"Adah"))
    assert again.context["result"].mapping_name == "Hand-made sheet"
    text = page_text(again.content.decode())
    assert "Columns read by the saved mapping “Hand-made sheet” ( change it )" in text
    assert "Portfolio as metadata:Portfolio" in text
    confirm(recruiter, again)
    assert Candidate.objects.get().name == "Adah Lovelace"  # the mapping's Interviewer


def test_a_missing_email_names_the_closest_headers_and_links_to_their_rows(recruiter, backend):
    step = upload(recruiter, NO_EMAIL, interviewer=backend.pk)

    text = page_text(step.content.decode())
    assert "The file has no “email” column." in text
    assert "The closest of its headers to “email”: “Contact Mail”" in text
    assert '<a href="#column-1">Contact Mail</a>' in step.content.decode()
    refused = map_columns(recruiter, step)
    assert "Still missing: no column is imported as the email." in page_text(
        refused.content.decode()
    )
    assert "Closest: “Contact Mail”." in page_text(refused.content.decode())

    preview = map_columns(recruiter, step, **{column_field(step, "Contact Mail"): "email"})
    assert preview.context["result"].counts["new"] == 1
    assert not ImportMapping.objects.exists()  # not saved unless named


def test_a_preview_leads_back_to_the_columns_where_status_values_are_mapped(recruiter, backend):
    preview = upload(recruiter, STAGES, interviewer=backend.pk)
    assert preview.context["result"].mapped_columns[2] == (
        "Current Stage",
        "metadata:Current Stage",
    )
    hidden = {key: "" if value is None else value for key, value in initial(preview).items()}
    step = recruiter.post(COLUMNS, {**hidden, "start": "1"})
    stage = column_field(step, "Current Stage")

    asked = map_columns(recruiter, step, **{stage: "status"})
    assert asked.context["asking_values"]
    assert asked.context["form"].values == ["Phone Screen", "Applied"]
    preview = map_columns(recruiter, asked, value_0="shortlisted", value_1="draft")
    confirm(recruiter, preview)

    assert dict(Candidate.objects.values_list("name", "status")) == {
        "Ada Lovelace": "shortlisted",
        "Alan Turing": "draft",
        "Grace Hopper": "shortlisted",
    }


def test_a_keyed_target_without_a_key_is_refused_and_nothing_saved(recruiter, backend):
    step = upload(recruiter, WITH_A_PORTFOLIO, interviewer=backend.pk)
    portfolio = column_field(step, "Portfolio")

    again = map_columns(
        recruiter, step, **{portfolio: "additional:", f"key_{portfolio[7:]}": " "}, save_as="X"
    )

    assert "Give the key the column is kept under" in page_text(again.content.decode())
    assert not ImportMapping.objects.exists()


def test_two_columns_chosen_as_the_email_are_refused(recruiter, backend):
    step = upload(recruiter, WITH_A_PORTFOLIO, interviewer=backend.pk)

    again = map_columns(recruiter, step, **{column_field(step, "Portfolio"): "email"})

    assert "“E-mail” and “Portfolio”, are both read as “email”" in page_text(again.content.decode())


def test_a_tampered_mapping_on_confirm_asks_to_upload_again(recruiter, backend):
    preview = map_columns(recruiter, upload(recruiter, WITH_A_PORTFOLIO, interviewer=backend.pk))

    answer = confirm(recruiter, preview, mapping='{"columns": {"Portfolio": "password"}}')

    assert answer.status_code == 302
    assert not Candidate.objects.exists()


def test_the_problems_download_reads_the_columns_as_the_preview_did(recruiter, backend, settings):
    step = upload(
        recruiter, NO_EMAIL.replace(b"ada@example.com", b"not-an-address"), interviewer=backend.pk
    )
    preview = map_columns(recruiter, step, **{column_field(step, "Contact Mail"): "email"})

    answer = recruiter.get(preview.context["problems_url"])

    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["email"]


def test_the_mapping_step_needs_the_import_permission(client, backend):
    client.force_login(user_with("view_candidate"))
    assert client.post(COLUMNS, {}).status_code == 403


def test_a_gone_upload_on_the_mapping_step_asks_to_upload_again(recruiter):
    answer = recruiter.post(
        COLUMNS, {"import_file_name": "f" * 32, "original_file_name": "a.csv", "format": "csv"}
    )
    assert answer.status_code == 302
    said = [str(message) for message in answer.wsgi_request._messages]
    assert said == ["The uploaded file is no longer kept: upload it again."]


def test_an_export_uploads_back_with_no_mapping_step(admin_client, backend):
    Candidate.objects.create(
        interviewer=backend,
        name="Ada",
        email="ada@example.com",
        additional_fields={"Score": 87},
        metadata={"External ID": "48213007", "Phone": "+1-555-0100"},
    )
    export = reverse("admin:recruiting_candidate_export")
    content = b"".join(
        admin_client.post(export, {"format": "0", "resource": "0"}).streaming_content
    )

    preview = upload(admin_client, content, "export.csv")

    assert preview.context["result"].counts["unchanged"] == 1
    assert initial(preview)["import_file_name"]


def test_a_saved_mapping_is_edited_in_the_admin(admin_client, backend):
    step = upload(admin_client, golden("lever_export.csv"), interviewer=backend.pk)
    map_columns(admin_client, step, save_as="Lever")
    saved = ImportMapping.objects.get()
    url = reverse("admin:recruiting_importmapping_change", args=[saved.pk])
    page = admin_client.get(url)
    assert "Links: ignore" in page.content.decode()

    form = {
        "name": "Lever export",
        "headers": "\n".join(saved.headers),
        "columns": "Links: metadata:Links\nName: name\nEmails: email",
        "statuses": "New Lead: draft\nOnsite Interview:",
        "interviewer": "",
    }
    assert admin_client.post(url, form).status_code == 302
    saved.refresh_from_db()
    assert saved.columns["Links"] == "metadata:Links"
    assert saved.statuses == {"New Lead": "draft", "Onsite Interview": ""}

    refused = admin_client.post(url, {**form, "columns": "Links: password"})
    assert "“password” is not something a column can be imported as." in page_text(
        refused.content.decode()
    )


def test_changing_the_columns_from_a_preview_starts_from_the_choices_it_used(recruiter, backend):
    step = upload(recruiter, WITH_A_PORTFOLIO, interviewer=backend.pk)
    portfolio = column_field(step, "Portfolio")
    preview = map_columns(recruiter, step, **{portfolio: "additional:"})
    hidden = {key: "" if value is None else value for key, value in initial(preview).items()}

    again = recruiter.post(COLUMNS, {**hidden, "start": "1"})

    assert chosen(again)["Portfolio"] == "additional:Portfolio"


def test_saved_status_values_are_proposed_for_a_new_file(recruiter, backend):
    ImportMapping.objects.create(
        name="Stages",
        headers=["x"],
        columns={"Current Stage": "status"},
        statuses={"Phone Screen": "shortlisted"},
    )
    step = upload(
        recruiter,
        b"Name,Email,Current Stage,Notes\n"
        b"Ada,ada@example.com,Phone Screen,\n"
        b"Alan,alan@example.com,Applied,\n"
        b"Mary,mary@example.com,Onsite,\n",
    )

    assert chosen(step)["Current Stage"] == "status"
    assert [field.value() for field in step.context["form"].value_rows()] == [
        "shortlisted",
        "draft",
        "",
    ]


NO_INTERVIEWER = (
    "No column is read as the interviewer and no Default Interviewer is chosen, so every row "
    "would be refused: choose a Default Interviewer, or the column that names the Interviewer."
)


def test_a_file_without_an_interviewer_asks_for_a_default_on_the_mapping_step(recruiter, backend):
    step = upload(recruiter, b"name,email\nAda,ada@example.com\n")

    assert "proposal" in step.context
    assert "No column names the Interviewer and no Default Interviewer is chosen" in page_text(
        step.content.decode()
    )
    refused = map_columns(recruiter, step)
    assert refused.context["form"].errors["interviewer"] == [NO_INTERVIEWER]
    assert "result" not in refused.context

    preview = map_columns(recruiter, step, interviewer=backend.pk)
    assert preview.context["result"].counts["new"] == 1


def test_the_mapping_step_keeps_the_default_interviewer_chosen_on_the_upload(recruiter, backend):
    step = upload(recruiter, WITH_A_PORTFOLIO, interviewer=backend.pk)

    assert step.context["form"]["interviewer"].value() == backend.pk
    assert "No column names the Interviewer" not in page_text(step.content.decode())
    assert f"?interviewer={backend.pk}" in step.context["upload_url"]


def test_continuing_without_a_name_or_an_email_says_what_is_still_missing(recruiter, backend):
    step = upload(recruiter, b"who,where\nAda,London\n", interviewer=backend.pk)
    assert "no “name” and no “email” column" in page_text(step.content.decode())

    again = map_columns(recruiter, step)

    assert again.context["form"].non_field_errors() == [
        "Still missing: no column is imported as the name (or first name and last name) and "
        "the email. In “Imported as”, choose it for the column that holds it; a file without "
        "one cannot be imported."
    ]
    only_email = map_columns(recruiter, step, **{column_field(step, "who"): "name"})
    assert "imported as the email." in only_email.context["form"].non_field_errors()[0]


def test_a_saved_mapping_page_sizes_its_boxes_and_explains_the_targets(admin_client):
    headers = [f"Column {number}" for number in range(12)]
    saved = ImportMapping.objects.create(
        name="Wide",
        headers=headers,
        columns={header: "ignore" for header in headers},
        statuses={"Phone Screen": "shortlisted"},
    )
    page = admin_client.get(reverse("admin:recruiting_importmapping_change", args=[saved.pk]))

    form = page.context["adminform"].form
    assert form.fields["headers"].widget.attrs["rows"] == 13
    assert form.fields["columns"].widget.attrs["rows"] == 13
    assert form.fields["statuses"].widget.attrs["rows"] == 3
    assert form.fields["statuses"].widget.attrs["placeholder"] == "Phone Screen: shortlisted"
    text = page_text(page.content.decode())
    assert "for example “Phone Screen: shortlisted”" in text
    assert "Manual Score" not in text
    assert "send_email_after : hours, 1 to 96, to wait before the invitation email" in text
    assert "metadata:Key : metadata under that key" in text


def test_common_stage_names_are_proposed_as_the_readme_maps_them(recruiter, backend):
    step = upload(
        recruiter,
        b"Name,Email,Stage,Portfolio\n"
        b"Ada,ada@example.com,Applied,\n"
        b"Alan,alan@example.com,New Lead,\n"
        b"Grace,grace@example.com,Phone Screen,\n"
        b"Mary,mary@example.com,AI Interview,\n"
        b"Katherine,katherine@example.com,Onsite,\n",
        interviewer=backend.pk,
    )
    page = map_columns(recruiter, step, **{column_field(step, "Stage"): "status"})

    proposed = {field.label: field.value() for field in page.context["form"].value_rows()}
    assert proposed == {
        "Applied": "draft",
        "New Lead": "draft",
        "Phone Screen": "shortlisted",
        "AI Interview": "shortlisted",
        "Onsite": "",
    }
