"""The app as the README's Production steps run it: gunicorn from the Procfile with DEBUG
off, static files collected and served by WhiteNoise, PostgreSQL, one Celery worker on
Redis, and staff in Chromium; the upstream API is a local stand-in."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pytest_httpserver import HTTPServer

from recruiting.models import Candidate
from tests.conftest import API_KEY
from tests.e2e.conftest import PASSWORD, chromium, log_in, new_page, submit
from tests.factories import CandidateFactory, InterviewerFactory
from tests.faults import TcpProxy, free_port
from tests.production_urls import BOOM_MESSAGE
from tests.service_checks import REDIS_URL
from tests.services.conftest import READY_TIMEOUT, ROOT, Processes, database_address, wait_for
from tests.services.conftest import test_database_url as database_url
from tests.upstream import Upstream

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

ADMIN = "operator"
# Collected with hashed names (ManifestStaticFilesStorage): e.g. base.96c479cedf7a.css.
HASHED_CSS = re.compile(r"^/static/.+\.[0-9a-f]{12}\.css$")
UNSTYLED = {"rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)"}
LOG_LINE_START = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} "


@dataclass
class Production:
    url: str
    web: subprocess.Popen
    worker: subprocess.Popen
    database: TcpProxy
    upstream: Upstream
    api: HTTPServer
    # The stand-in upstream answers once this is set: the progress page is seen unfinished.
    hold: threading.Event

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return requests.get(self.url + path, timeout=10, allow_redirects=False, **kwargs)

    def web_log(self) -> str:
        return Path(self.web.log_path).read_text()

    def logs(self) -> str:
        """The end of what gunicorn and the worker wrote, for assertion messages."""
        return "\n".join(tail(process) for process in (self.web, self.worker))

    @contextmanager
    def logs_on_failure(self) -> Iterator[None]:
        """Any failure inside, an assertion or the browser's, says what the processes logged."""
        try:
            yield
        except Exception as error:
            raise AssertionError(f"{error}\n{self.logs()}") from error


def explain(response: requests.Response) -> str:
    return (
        f"{response.request.method} {response.url}: {response.status_code} {response.text[:1000]}"
    )


def tail(process: subprocess.Popen, lines: int = 40) -> str:
    path = Path(process.log_path)
    return f"--- last lines of {path.name}:\n" + "\n".join(path.read_text().splitlines()[-lines:])


def production_environment(static_root: Path, api_url: str) -> dict[str, str]:
    """Only what the README's Production steps export, for a plain-HTTP trial on 127.0.0.1."""
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "INTERVIEWFLOW_API_URL": api_url,
        "INTERVIEWFLOW_API_KEY": API_KEY,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_ROOT": str(static_root),
    }


def procfile_command(process: str, **values: str) -> list[str]:
    """A Procfile line's command, its `${NAME:-default}` filled in from `values`."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name == process:
            return shlex.split(
                re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: values.get(m[1], m[2]), command)
            )
    raise LookupError(f"no {process!r} line in the Procfile")


def gunicorn_args(port: int) -> list[str]:
    """The Procfile's web line with 2 workers, as `python -m gunicorn`, on localhost only."""
    args = procfile_command("web", PORT=str(port), WEB_CONCURRENCY="2")
    assert args[:2] == ["gunicorn", "recruiting.wsgi"], args
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    return ["-m", *args]


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def start(group: Processes, database: TcpProxy) -> tuple[str, subprocess.Popen, subprocess.Popen]:
    """collectstatic and createsuperuser, one worker, then gunicorn once it answers /healthz.

    gunicorn alone reaches PostgreSQL through `database`, a proxy the test can cut, and runs
    the production settings plus a failing view (tests.production_settings)."""
    superuser = {
        "DJANGO_SUPERUSER_USERNAME": ADMIN,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "DJANGO_SUPERUSER_EMAIL": "operator@example.com",
    }
    setup = [
        group.command("collectstatic", "collectstatic", "--no-input"),
        group.command("createsuperuser", "createsuperuser", "--no-input", env=superuser),
    ]
    worker = group.worker("worker")
    for command in setup:
        assert command.wait(timeout=60) == 0, tail(command)
    port = free_port()
    web = group.spawn(
        "web",
        gunicorn_args(port),
        env={
            "DATABASE_URL": database_url(("127.0.0.1", database.port)),
            "DJANGO_SETTINGS_MODULE": "tests.production_settings",
        },
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(
        lambda: answers(f"{url}/healthz") or web.poll() is not None,
        timeout=READY_TIMEOUT,
        what="gunicorn to answer /healthz",
        detail=lambda: tail(web),
    )
    assert web.poll() is None, f"gunicorn exited with {web.returncode}\n{tail(web)}"
    return url, web, worker


@pytest.fixture
def production(
    transactional_db: None,
    httpserver: HTTPServer,
    ingest_path: str,
    broker_url: str,
    tmp_path: Path,
) -> Iterator[Production]:
    hold = threading.Event()
    upstream = Upstream(gate=hold)
    httpserver.expect_request(ingest_path, method="POST").respond_with_handler(upstream)
    group = Processes(
        production_environment(tmp_path / "static", httpserver.url_for("/")), tmp_path
    )
    database = TcpProxy(database_address())
    try:
        url, web, worker = start(group, database)
        yield Production(url, web, worker, database, upstream, httpserver, hold)
    finally:
        hold.set()
        group.stop_all()
        database.cut()


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium() as browser, new_page(browser, width=1366, height=768) as page:
        yield page


def test_gunicorn_a_worker_and_chromium_run_the_app_as_the_readme_deploys_it(
    production: Production, page: Page
) -> None:
    with production.logs_on_failure():
        assert_ready(production)
        assert_push_followed_in_the_browser(production, page)
        assert_failing_view_logged(production)
        assert_not_ready_without_the_database(production)


def assert_ready(production: Production) -> None:
    response = production.get("/readyz")
    assert response.status_code == 200, explain(response)
    body = response.json()
    assert body["status"] == "ready", explain(response)
    assert body["checks"]["broker"] == {"ok": True, "detail": "reachable"}, body


def assert_push_followed_in_the_browser(production: Production, page: Page) -> None:
    interviewer = InterviewerFactory(name="Site Reliability Engineer")
    candidates = CandidateFactory.create_batch(3, interviewer=interviewer)

    log_in(page, production.url, ADMIN)
    assert_styled(production, page)
    page.goto(f"{production.url}/admin/recruiting/candidate/")
    page.check("#action-toggle")
    assert page.locator("#result_list input.action-select:checked").count() == 3
    page.select_option("select[name=action]", label="Push to InterviewFlowAI")
    submit(page, "button[name=index]")
    submit(page, "a.push-progress-link")

    assert page.get_attribute("#push-status", "data-finished") == "false"
    page.evaluate("window.__loadedOnce = true")
    production.hold.set()
    try:
        page.wait_for_selector("#push-status[data-finished=true]", timeout=30_000)
    except PlaywrightTimeout as timeout:
        status = page.inner_text("#push-status")
        raise AssertionError(f"the progress page still says {status!r}") from timeout
    assert page.evaluate("window.__loadedOnce") is True, "the progress page was reloaded"
    assert page.inner_text("#push-status") == "Finished: 3 candidates sent."

    states = set(Candidate.objects.values_list("state", flat=True))
    assert states == {Candidate.State.SENT}
    assert production.upstream.emails == Counter({c.email: 1 for c in candidates})
    keys = {request.headers.get("X-API-KEY") for request, _ in production.api.log}
    assert keys == {API_KEY}


def assert_styled(production: Production, page: Page) -> None:
    """The admin's stylesheets come from collectstatic's hashed files and apply."""
    header = page.evaluate("getComputedStyle(document.querySelector('#header')).backgroundColor")
    assert header not in UNSTYLED, f"the admin header is unstyled: {header}"
    variable = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--header-bg').trim()"
    )
    assert variable, "the admin's CSS variables are not set: its stylesheet did not load"
    sheets = page.eval_on_selector_all(
        "link[rel=stylesheet]", "links => links.map(link => link.getAttribute('href'))"
    )
    assert sheets, "the admin page links no stylesheet"
    assert all(HASHED_CSS.match(href) for href in sheets), sheets
    response = production.get(sheets[0], headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, explain(response)
    assert response.headers["Content-Encoding"] == "gzip", response.headers
    assert "immutable" in response.headers["Cache-Control"], response.headers


def assert_failing_view_logged(production: Production) -> None:
    response = production.get("/boom/")
    assert response.status_code == 500, explain(response)
    assert "Server Error (500)" in response.text, response.text
    assert "Traceback" not in response.text, response.text
    assert BOOM_MESSAGE not in response.text, response.text

    wait_for(
        lambda: BOOM_MESSAGE in production.web_log(), timeout=10, what="the failure in the log"
    )
    log = production.web_log()
    error = re.search(
        LOG_LINE_START + r"ERROR django\.request Internal Server Error: /boom/$", log, re.M
    )
    assert error, "no ERROR line from django.request with a time"
    rest = log[error.end() :]
    assert rest.lstrip("\n").startswith("Traceback (most recent call last):"), "no traceback"
    assert f"DeliberateFailure: {BOOM_MESSAGE}" in rest, "the traceback lacks the exception"


def assert_not_ready_without_the_database(production: Production) -> None:
    production.database.cut()

    response = production.get("/readyz")
    assert response.status_code == 503, explain(response)
    body = response.json()
    assert body["status"] == "not ready", body
    assert body["checks"]["database"]["ok"] is False, body
    assert body["checks"]["broker"]["ok"] is True, body
    healthz = production.get("/healthz")
    assert healthz.status_code == 200, explain(healthz)
