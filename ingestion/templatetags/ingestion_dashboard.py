from typing import Any

from django import template

from ingestion.delivery.dashboard import COUNTS_KEPT_SECONDS, dashboard_figures
from ingestion.inbound.funnel import interview_funnel
from ingestion.sandbox.page import sandbox_page_url

register = template.Library()


@register.inclusion_tag("admin/ingestion/dashboard.html", takes_context=True)
def ingestion_dashboard(context: template.Context) -> dict[str, Any]:
    """The figures of the admin index, for whoever may see them."""
    request = context["request"]
    return {
        "dashboard": dashboard_figures(user=request.user),
        "sandbox_url": sandbox_page_url(),
        "counts_kept": COUNTS_KEPT_SECONDS,
        "funnel": interview_funnel()
        if request.user.has_perm("recruiting.view_candidate")
        else None,
        "perms": context.get("perms"),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
