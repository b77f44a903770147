import os
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from ingestion.client import INGEST_PATH, IngestionClient
from tests import service_checks

API_KEY = "test-key-5f3c9a"


@pytest.fixture(autouse=True)
def counts_counted_afresh() -> None:
    """Each test counts the dashboard's figures itself, never those an earlier test kept."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api(httpserver: HTTPServer, settings) -> HTTPServer:
    """A real local HTTP server standing in for InterviewFlowAI, wired into settings."""
    settings.INTERVIEWFLOW_API_URL = httpserver.url_for("/")
    settings.INTERVIEWFLOW_API_KEY = API_KEY
    settings.INTERVIEWFLOW_TIMEOUT = 2
    return httpserver


@pytest.fixture
def client_for(api: HTTPServer):
    def make(timeout: float = 2) -> IngestionClient:
        return IngestionClient(base_url=api.url_for("/"), api_key=API_KEY, timeout=timeout)

    return make


@pytest.fixture
def ingest_path() -> str:
    return INGEST_PATH


@pytest.fixture
def sandbox(live_server, settings) -> str:
    """Send pushes to the live server's own sandbox, as `make run` does; its URL."""
    settings.INTERVIEWFLOW_API_URL = f"{live_server.url}/sandbox"
    settings.INTERVIEWFLOW_API_KEY = settings.INTERVIEWFLOW_SANDBOX_API_KEY
    settings.INTERVIEWFLOW_SANDBOX_ENABLED = True
    return live_server.url


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """Uploads kept in this test's own folder (with pytest.mark.usefixtures("media"))."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


SERVICES_DIR = Path(__file__).parent / "services"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests under tests/services/ need PostgreSQL and Redis: mark them, and check for them."""
    service_items = [item for item in items if SERVICES_DIR in Path(item.path).parents]
    for item in service_items:
        item.add_marker(pytest.mark.services)
    selected = [item for item in service_items if not _deselected(config, item)]
    if not selected:
        return
    if missing := service_checks.missing():
        message = "These tests need " + "; ".join(missing)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.exit(message, returncode=1)
        for item in selected:
            item.add_marker(pytest.mark.skip(reason=message))


def _deselected(config: pytest.Config, item: pytest.Item) -> bool:
    expression = config.getoption("-m")
    return bool(expression) and "not services" in expression
