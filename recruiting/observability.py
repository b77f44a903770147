"""Where logs and errors go: one logging configuration for Django, the app and Celery, and
optional error reporting to Sentry. Called from settings with values read there."""

from __future__ import annotations

from typing import Any

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Loggers that would otherwise keep handlers of their own (Django's console handler only
# speaks in DEBUG, and its mail handler needs ADMINS): everything goes to the root handler.
OWN_LOGGERS = ("django", "django.request", "django.server", "celery", "ingestion", "recruiting")


def logging_config(*, level: str, json: bool) -> dict[str, Any]:
    """Every log line to standard output with time, level and logger; tracebacks included."""
    formatter: dict[str, Any] = {"format": LINE_FORMAT}
    if json:
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": LINE_FORMAT,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            name: {"handlers": [], "level": level, "propagate": True} for name in OWN_LOGGERS
        },
    }


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> bool:
    """Report errors to Sentry when a DSN is set; without one, do nothing at all."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        # Candidates' names and emails, and staff's logins, stay out of error reports.
        send_default_pii=False,
    )
    return True
