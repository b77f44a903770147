from typing import Any

from django.http import HttpRequest

from ingestion.models import DeliveryStatus


def delivery_status(request: HttpRequest) -> dict[str, Any]:
    """Tell admin pages when delivery is paused, so the banner can say why."""
    if not request.path.startswith("/admin/") or not getattr(request.user, "is_staff", False):
        return {}
    return {"delivery_status": DeliveryStatus.current()}
