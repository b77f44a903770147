"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import Group, User
from django.db import connections

from ingestion.delivery.housekeeping import delivery_resume, delivery_sweep
from recruiting.permissions import RECRUITERS
from tests.factories import UserFactory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCRATCH = Path(tempfile.gettempdir()) / "recruiting-e2e-screenshots"
PASSWORD = "correct horse battery"
E2E_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests here, and any marked `e2e` elsewhere, need Chromium: mark them, check for it."""
    browser_items = [
        item
        for item in items
        if E2E_DIR in Path(item.path).parents or item.get_closest_marker("e2e")
    ]
    for item in browser_items:
        item.add_marker(pytest.mark.e2e)
    if not browser_items or Path(CHROMIUM).exists():
        return
    message = "The browser tests need Debian's Chromium: apt-get install chromium"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.exit(message, returncode=1)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=message))


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, with a new, empty profile every launch; nothing is ever downloaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's event loop runs, Django keeps the ORM's connections apart
            # from the thread's own (asgiref's Local): close them before it stops, or they
            # outlive the test and keep PostgreSQL from dropping the test database.
            connections.close_all()


@contextmanager
def new_page(browser: Browser, *, width: int = 1366, height: int = 768) -> Iterator[Page]:
    """A page in a context of its own (no cookies shared with another test)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser) as page:
        yield page


@pytest.fixture
def rejected_key(sandbox, settings) -> None:
    """The sandbox refuses the key the app sends, as InterviewFlowAI does a revoked key."""
    settings.INTERVIEWFLOW_API_KEY = "not-the-sandbox-key"


@pytest.fixture
def fix_the_key(rejected_key, settings) -> Callable[[], None]:
    """Put the right key back, resume delivery and run the periodic sweep, which sends what
    waited: what an operator and the scheduler do after a rejected key."""

    def fix() -> None:
        settings.INTERVIEWFLOW_API_KEY = settings.INTERVIEWFLOW_SANDBOX_API_KEY
        delivery_resume()
        delivery_sweep()

    return fix


@pytest.fixture
def uploads(settings, tmp_path: Path) -> Path:
    """Keep the spreadsheets an import holds between preview and confirm out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def recruiter(username: str) -> User:
    """A staff user whose only permissions are those of the ready-made Recruiters group."""
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=RECRUITERS))
    return user


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def log_out(page: Page) -> None:
    submit(page, "#logout-form button")


def submit(page: Page, selector: str) -> Response | None:
    """Click what sends a form or follows a link, and return the response of the new page."""
    with page.expect_navigation() as navigation:
        page.click(selector)
    return navigation.value


def choose_action(page: Page, action: str) -> Response | None:
    page.select_option("select[name=action]", action)
    return submit(page, "button[name=index]")


def tick(page: Page, *names: str) -> None:
    """Tick the change list rows of these candidates."""
    for name in names:
        row = page.locator("#result_list tbody tr", has_text=name)
        row.locator("input.action-select").check()


def list_column(page: Page, field: str) -> dict[str, str]:
    """One column of the change list (`field` as in list_display), by each row's name."""
    return dict(
        page.eval_on_selector_all(
            "#result_list tbody tr",
            "(rows, field) => rows.map(r => [r.querySelector('.field-name').innerText,"
            " r.querySelector('.field-' + field).innerText])",
            field,
        )
    )


def action_names(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "select[name=action] option", "options => options.map(o => o.value).filter(Boolean)"
    )


def messages(page: Page) -> str:
    return page.inner_text(".messagelist")


def screenshot(page, name: str) -> None:
    """Capture the page; into docs/ (shown by the README) with UPDATE_SCREENSHOTS=1."""
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else SCRATCH
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
