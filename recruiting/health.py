"""Health endpoints for load balancers and orchestrators: no login, no secrets, JSON.

`/healthz` says the process answers. `/readyz` says whether it can do its work: the
database is reachable, every migration is applied, and the task broker answers when one
is configured. Whether delivery is paused is reported too, as information: a rejected API
key is for staff to fix, and taking the web tier out of service would not help.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ingestion.models import DeliveryStatus
from recruiting.celery import app as celery_app

BROKER_TIMEOUT = 2.0


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database, "migrations": _migrations}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker
    results = {name: _run(check) for name, check in checks.items()}
    ready = all(result["ok"] for result in results.values())
    body: dict[str, Any] = {"status": "ready" if ready else "not ready", "checks": results}
    if results["database"]["ok"]:
        body["delivery"] = _delivery()
    return JsonResponse(body, status=200 if ready else 503)


def _run(check: Callable[[], str]) -> dict[str, Any]:
    try:
        return {"ok": True, "detail": check()}
    except Exception as error:  # any failure means not ready; its class says which kind
        return {"ok": False, "detail": f"{type(error).__name__}"}


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "reachable"


def _migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise PendingMigrations(f"{len(pending)} pending")
    return "applied"


def _broker() -> str:
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    return "reachable"


def _delivery() -> dict[str, Any]:
    try:
        status = DeliveryStatus.current()
    except DatabaseError:
        return {"paused": None}
    return {"paused": status.paused}


class PendingMigrations(Exception):
    """The schema is older than the code: run `manage.py migrate`."""
