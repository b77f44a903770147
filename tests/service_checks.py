"""Where the real services the integration tests need are, and whether they answer."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

from django.conf import settings

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
START_POSTGRES = (
    "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
)
START_REDIS = 'start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ""'


def missing() -> list[str]:
    problems = []
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        problems.append(
            "PostgreSQL: run them with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test "
            "(`make test` does)"
        )
    elif not _answers(database.get("HOST") or "127.0.0.1", int(database.get("PORT") or 5432)):
        problems.append(
            f"PostgreSQL at {database.get('HOST')}:{database.get('PORT')}: " + START_POSTGRES
        )
    redis = urlparse(REDIS_URL)
    if not _answers(redis.hostname or "127.0.0.1", redis.port or 6379):
        problems.append(f"Redis at {redis.hostname}:{redis.port}: {START_REDIS}")
    return problems


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False
