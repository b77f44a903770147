from django.apps import AppConfig


class IngestionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ingestion"
    verbose_name = "InterviewFlowAI ingestion"

    def ready(self) -> None:
        # The inbox's admin sits in its own module, beside the history's admin.py.
        from ingestion import inbox_admin  # noqa: F401
