from celery import shared_task


@shared_task
def remove_stale_uploads_task() -> str:
    from django.core.management import call_command

    return call_command("remove_stale_uploads")
