from datetime import timedelta

from celery import shared_task
from django.conf import settings


@shared_task
def remove_stale_uploads_task() -> int:
    from recruiting.uploads import uploads_remove_stale

    return uploads_remove_stale(older_than=timedelta(hours=settings.IMPORT_UPLOAD_MAX_AGE_HOURS))
