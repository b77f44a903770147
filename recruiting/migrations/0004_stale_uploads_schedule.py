from django.db import migrations

SCHEDULE_NAME = "Remove import uploads never confirmed"
TASK = "recruiting.tasks.remove_stale_uploads_task"


def create_schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_hour, _ = interval_model.objects.get_or_create(every=1, period="hours")
    task_model.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "task": TASK,
            "interval": every_hour,
            "description": "Deletes uploaded spreadsheets whose import was previewed but not "
            "confirmed within IMPORT_UPLOAD_MAX_AGE_HOURS (manage.py remove_stale_uploads).",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=SCHEDULE_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recruiting", "0003_import_export_permissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
