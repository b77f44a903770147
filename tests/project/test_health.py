"""/healthz and /readyz: what they check, what they say, and that they need no login."""

from __future__ import annotations

import pytest
from django.db.migrations.recorder import MigrationRecorder

from ingestion.models import DeliveryStatus
from recruiting.celery import app as celery_app
from tests.conftest import API_KEY

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_with_the_database_and_every_migration(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": {"ok": True, "detail": "reachable"},
            "migrations": {"ok": True, "detail": "applied"},
        },
        "delivery": {"paused": False},
    }


def test_a_paused_delivery_is_information_not_unreadiness(client, settings):
    settings.CELERY_BROKER_URL = ""
    DeliveryStatus.current()
    DeliveryStatus.objects.update(paused_reason="InterviewFlowAI rejected the API key.")
    DeliveryStatus.objects.update(paused_at="2026-12-01T10:00:00Z")

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["delivery"] == {"paused": True}
    assert "rejected" not in response.content.decode()


def test_readyz_is_not_ready_while_a_migration_is_pending(client, settings):
    settings.CELERY_BROKER_URL = ""
    MigrationRecorder.Migration.objects.filter(app="ingestion").order_by("-id").first().delete()

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["migrations"] == {"ok": False, "detail": "PendingMigrations"}
    assert body["checks"]["database"]["ok"] is True


@pytest.fixture
def unreachable_broker(settings):
    url = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
    settings.CELERY_BROKER_URL = url
    celery_app.conf.broker_url = url
    celery_app._pool = None
    yield
    celery_app.conf.broker_url = ""
    celery_app._pool = None


def test_readyz_is_not_ready_when_the_configured_broker_does_not_answer(client, unreachable_broker):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_health_answers_show_no_secret(client, settings):
    settings.INTERVIEWFLOW_API_KEY = API_KEY
    settings.CELERY_BROKER_URL = ""

    for path in ("/healthz", "/readyz"):
        text = client.get(path).content.decode()
        assert API_KEY not in text
        assert settings.SECRET_KEY not in text
        assert "sqlite" not in text.lower()


def test_health_endpoints_stay_on_plain_http_when_everything_else_redirects(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.CELERY_BROKER_URL = ""

    assert client.get("/admin/login/").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_probes_written_with_a_trailing_slash_answer_too(client, settings):
    settings.CELERY_BROKER_URL = ""

    assert client.get("/healthz/").status_code == 200
    assert client.get("/readyz/").status_code == 200


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0].endswith("favicon.svg")
