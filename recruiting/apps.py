from django.apps import AppConfig


class RecruitingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recruiting"
    verbose_name = "Recruiting"
