import sys

from django.apps import AppConfig
from django.conf import settings


class IngestionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ingestion"
    verbose_name = "InterviewFlowAI ingestion"

    def ready(self) -> None:
        # The inboxes and the ATS connections have admin modules of their own, beside the
        # history's admin.py.
        from ingestion import ats_admin, inbox_admin  # noqa: F401

        if settings.THREAD_SWITCH_INTERVAL > 0:
            # Every process that may push: workers, commands and the web (its thread).
            sys.setswitchinterval(settings.THREAD_SWITCH_INTERVAL)
