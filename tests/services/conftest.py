"""Real Celery workers, a real broker and PostgreSQL, driven from the tests."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.db import connection

from recruiting.celery import app as celery_app
from tests.faults import free_port
from tests.service_checks import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60


def use_broker(url: str | None) -> None:
    """Point this process's Celery app at a broker, or back to in-process tasks."""
    celery_app.conf.update(broker_url=url or "", task_always_eager=url is None)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def database_address() -> tuple[str, int]:
    """Where the PostgreSQL server of the test database listens."""
    db = connection.settings_dict
    return db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)


def test_database_url(address: tuple[str, int] | None = None) -> str:
    """pytest-django's test database, at its server or at another address (a proxy)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = address or database_address()
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def wait_for(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    detail: Callable[[], str] | None = None,
) -> None:
    """Poll until `condition` holds; on timeout, fail saying what, and `detail()` (a log, say)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    message = f"Timed out after {timeout:.0f} s waiting for {what}"
    raise AssertionError(f"{message}\n{detail()}" if detail else message)


class Processes:
    """Worker, beat and command subprocesses sharing the test database and settings."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: list[subprocess.Popen] = []

    def spawn(
        self, name: str, args: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        """Run `python ARGS` with the group's environment (updated by `env`), output to a log."""
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = log.name  # type: ignore[attr-defined]
        self.started.append(process)
        return process

    def worker(self, name: str) -> subprocess.Popen:
        process = self.spawn(
            name,
            [
                "-m",
                "celery",
                "-A",
                "recruiting",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--pool=prefork",
                f"--hostname={name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )
        wait_for(
            lambda: "ready." in Path(process.log_path).read_text() or process.poll() is not None,
            timeout=READY_TIMEOUT,
            what=f"worker {name} to start",
        )
        assert process.poll() is None, Path(process.log_path).read_text()
        return process

    def command(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        return self.spawn(name, ["manage.py", *args], env)

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def broker_url() -> Iterator[str]:
    redis.Redis.from_url(REDIS_URL).flushdb()
    use_broker(REDIS_URL)
    yield REDIS_URL
    use_broker(None)


@pytest.fixture
def processes(api, settings, tmp_path: Path) -> Iterator[Callable[[str], Processes]]:
    """Start subprocesses configured like this test: same database, API and settings."""
    made: list[Processes] = []

    def make(broker: str) -> Processes:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": test_database_url(),
            "CELERY_BROKER_URL": broker,
            "INTERVIEWFLOW_API_URL": settings.INTERVIEWFLOW_API_URL,
            "INTERVIEWFLOW_API_KEY": settings.INTERVIEWFLOW_API_KEY,
            "INTERVIEWFLOW_TIMEOUT": str(settings.INTERVIEWFLOW_TIMEOUT),
            "INTERVIEWFLOW_BATCH_SIZE": str(settings.INTERVIEWFLOW_BATCH_SIZE),
        }
        group = Processes(env, tmp_path)
        made.append(group)
        return group

    yield make
    for group in made:
        group.stop_all()


class PrivateRedis:
    """A Redis server of this test's own, so that it can be stopped and started again."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="the private Redis to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: apt-get install redis-server")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()
    use_broker(None)
