import pytest
from pytest_httpserver import HTTPServer

from ingestion.client import INGEST_PATH
from tests.upstream import Upstream


@pytest.fixture
def upstream(api: HTTPServer) -> Upstream:
    """The stand-in API answering every push as documented, keeping every body it got."""
    handler = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(handler)
    return handler
