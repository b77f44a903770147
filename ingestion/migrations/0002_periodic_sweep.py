from django.db import migrations

SWEEP_NAME = "Deliver due candidates and recover abandoned sends"
SWEEP_TASK = "ingestion.tasks.delivery_sweep_task"


def create_sweep(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = interval_model.objects.get_or_create(every=1, period="minutes")
    task_model.objects.get_or_create(
        name=SWEEP_NAME,
        defaults={
            "task": SWEEP_TASK,
            "interval": every_minute,
            "description": "Sends queued candidates whose time has come and marks sends "
            "abandoned by a stopped worker as unconfirmed.",
        },
    )


def remove_sweep(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ingestion", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_sweep, remove_sweep)]
