from django.db import migrations

PRUNE_NAME = "Prune the history"
PRUNE_TASK = "ingestion.tasks.prune_history_task"


def create_prune(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = crontab_model.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    task_model.objects.get_or_create(
        name=PRUNE_NAME,
        defaults={
            "task": PRUNE_TASK,
            "crontab": nightly,
            # Off until an operator chooses to forget old history.
            "enabled": False,
            "description": "Deletes requests older than INTERVIEWFLOW_HISTORY_RETENTION_DAYS, "
            "keeping each candidate's latest request.",
        },
    )


def remove_prune(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=PRUNE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ingestion", "0006_history_order_index"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_prune, remove_prune)]
