import pytest
from django.test import override_settings
from pytest_httpserver import HTTPServer

from ingestion.client import INGEST_PATH, IngestionClient

API_KEY = "test-key-5f3c9a"


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


@pytest.fixture(autouse=True)
def _in_process_tasks():
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True, CELERY_BROKER_URL=""):
        yield
