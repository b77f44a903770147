from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecruitingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recruiting"
    verbose_name = "Recruiting"

    def ready(self) -> None:
        from recruiting.permissions import recruiters_group_on_migrate

        post_migrate.connect(recruiters_group_on_migrate, dispatch_uid="recruiters_group")
