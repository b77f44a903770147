"""The sandbox's page in the admin, and the dashboard's link to it, through Django's test client."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from ingestion.sandbox.failures import TEST_ADDRESSES
from recruiting.management.commands.setup_demo import DEMO_INTERVIEWER_ID
from tests.factories import InterviewerFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("sandbox_page")
INDEX = reverse("admin:index")
OTHER_ID = "7c1e4b2a-9d3f-4a6e-8b5c-2f0d1e3a4b5c"


@pytest.fixture
def in_use(settings) -> None:
    """The app sends to its own sandbox, as under `make run`."""
    settings.INTERVIEWFLOW_SANDBOX_ENABLED = True
    settings.INTERVIEWFLOW_API_URL = "http://127.0.0.1:8000/sandbox"


def test_the_page_lists_every_test_address_with_its_answer_and_what_it_shows(admin_client, in_use):
    response = admin_client.get(PAGE)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/ingestion/sandbox.html"
    html = response.content.decode()
    assert "<title>The sandbox API | " in html
    assert 'data-in-use="true"' in html
    for address in TEST_ADDRESSES:
        assert f'data-tag="{address.tag}"' in html
        assert address.example in html
        assert escape(address.shows) in html
    assert "HTTP 429, Retry-After: 60" in html
    assert "data.0.email" in html
    assert "No answer for 11 s, then 201 Created" in html


def test_the_page_lists_the_known_interviewers_and_marks_each_of_this_apps(
    admin_client, in_use, settings
):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = [DEMO_INTERVIEWER_ID]
    InterviewerFactory(name="Demo: Backend Engineer", external_id=DEMO_INTERVIEWER_ID)
    InterviewerFactory(name="Platform Engineer", external_id=OTHER_ID)

    response = admin_client.get(PAGE)

    interviewers = response.context["interviewers"]
    assert [(i.name, known) for i, known in interviewers] == [
        ("Demo: Backend Engineer", True),
        ("Platform Engineer", False),
    ]
    html = response.content.decode()
    assert f"<li><code>{DEMO_INTERVIEWER_ID}</code></li>" in html
    assert "404 Interviewer not found" in html


@pytest.mark.parametrize("known", [[], ["*"]])
def test_the_page_says_when_any_interviewer_id_is_accepted(admin_client, in_use, settings, known):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = known
    response = admin_client.get(PAGE)
    assert 'id="sandbox-any-interviewer"' in response.content.decode()
    assert 'id="sandbox-accepted-ids"' not in response.content.decode()


def test_the_page_warns_when_the_app_sends_elsewhere(admin_client, settings):
    settings.INTERVIEWFLOW_SANDBOX_ENABLED = True
    settings.INTERVIEWFLOW_API_URL = "https://api.interviewflowai.com"
    response = admin_client.get(PAGE)
    assert response.status_code == 200
    assert 'id="sandbox-not-in-use"' in response.content.decode()


def test_the_page_is_for_staff_only(client, in_use):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(UserFactory(is_staff=False))
    assert client.get(PAGE).status_code == 302


def test_staff_without_the_interviewer_permission_see_no_interviewer_of_the_app(client, in_use):
    InterviewerFactory(name="Platform Engineer")
    client.force_login(UserFactory())
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["interviewers"] is None
    assert "Platform Engineer" not in response.content.decode()


def test_a_turned_off_sandbox_has_no_page(admin_client, settings):
    settings.INTERVIEWFLOW_SANDBOX_ENABLED = False
    assert admin_client.get(PAGE).status_code == 404


def test_the_dashboard_links_to_the_page_while_the_app_sends_to_the_sandbox(admin_client, in_use):
    html = admin_client.get(INDEX).content.decode()
    assert f'href="{PAGE}" id="sandbox-link"' in html


@pytest.mark.parametrize(
    ("enabled", "api_url"),
    [
        (True, "https://api.interviewflowai.com"),
        (True, "http://127.0.0.1:8000/sandbox-elsewhere"),
        (False, "http://127.0.0.1:8000/sandbox"),
    ],
    ids=["another API", "another path", "sandbox off"],
)
def test_the_dashboard_has_no_link_unless_the_sandbox_is_the_api(
    admin_client, settings, enabled, api_url
):
    settings.INTERVIEWFLOW_SANDBOX_ENABLED = enabled
    settings.INTERVIEWFLOW_API_URL = api_url
    assert 'id="sandbox-link"' not in admin_client.get(INDEX).content.decode()
