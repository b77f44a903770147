"""The settings a production deployment gets from the environment the README documents."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from recruiting.management.commands.setup_demo import DEMO_INTERVIEWER_ID

ROOT = Path(__file__).resolve().parents[2]
# Exactly what the README's Production section asks for, and nothing else.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3v!x9#pq2@w8zr5^tb7&yn4*uc6(me1)ja0-hd_ls+gf=oi.Qe8",
    "ALLOWED_HOSTS": "recruiting.example.com",
    "DATABASE_URL": "sqlite:////tmp/production-settings-check.sqlite3",
    "INTERVIEWFLOW_API_URL": "https://api.interviewflowai.com",
    "INTERVIEWFLOW_API_KEY": "a-production-key",
}


def manage(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INTERVIEWFLOW_", "SECURE_", "DJANGO_"))
        and not key.endswith("_COOKIE_SECURE")
    }
    env |= PRODUCTION_ENV | extra
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_of(*names: str, **extra: str) -> dict[str, str]:
    """The settings a production process would see, each as its repr."""
    code = "from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    answer = manage("shell", "--no-imports", "-c", code, **extra)
    assert answer.returncode == 0, answer.stderr
    return dict(zip(names, answer.stdout.strip().splitlines(), strict=True))


def test_check_deploy_finds_nothing_to_warn_about_with_the_documented_environment():
    answer = manage("check", "--deploy", "--fail-level", "WARNING")

    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "System check identified no issues" in answer.stdout
    assert "WARNINGS" not in answer.stdout + answer.stderr


def test_production_redirects_to_https_with_secure_cookies_hsts_and_hashed_static_files():
    found = settings_of(
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        'STORAGES["staticfiles"]["BACKEND"]',
    )

    assert found == {
        "SECURE_SSL_REDIRECT": "True",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SECURE_HSTS_SECONDS": str(30 * 24 * 3600),
        "SECURE_PROXY_SSL_HEADER": "None",
        'STORAGES["staticfiles"]["BACKEND"]': (
            "'whitenoise.storage.CompressedManifestStaticFilesStorage'"
        ),
    }


def test_each_security_setting_comes_from_the_environment_under_its_own_name():
    names = {
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    }

    assert settings_of(*names, **names) == {
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
    }


def test_the_sandbox_is_refused_in_production_unless_turned_on():
    name = "INTERVIEWFLOW_SANDBOX_ENABLED"
    assert settings_of(name) == {name: "False"}
    assert settings_of(name, **{name: "true"}) == {name: "True"}


SANDBOX_IDS, SANDBOX_TIMEOUT = (
    "INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS",
    "INTERVIEWFLOW_SANDBOX_TIMEOUT_SECONDS",
)


def test_the_sandbox_knows_the_demo_interviewer_and_times_out_past_the_client_by_default():
    assert settings_of(SANDBOX_IDS, SANDBOX_TIMEOUT) == {
        SANDBOX_IDS: repr([DEMO_INTERVIEWER_ID]),
        SANDBOX_TIMEOUT: "None",  # INTERVIEWFLOW_TIMEOUT + 1, when a request arrives
    }


def test_the_sandbox_settings_may_be_left_empty():
    assert settings_of(SANDBOX_IDS, SANDBOX_TIMEOUT, **{SANDBOX_IDS: "", SANDBOX_TIMEOUT: ""}) == {
        SANDBOX_IDS: "[]",  # any interviewer id
        SANDBOX_TIMEOUT: "None",
    }
