from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from ingestion.interviewflow_page import interviewflow_page
from ingestion.sandbox.page import sandbox_page, sandbox_report
from ingestion.webhooks.ats import ats_webhook
from ingestion.webhooks.interviewflow import interviewflow_webhook
from recruiting import health


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Named at request time: the hashed name exists once collectstatic has run.
    return HttpResponseRedirect(static("ingestion/favicon.svg"))


# The admin is the whole site: no "View site" link that leads back to it.
admin.site.site_url = None
# The lists need the width of a laptop screen more than a second menu beside them.
admin.site.enable_nav_sidebar = False
# Staff's own work first on the index, then the rest in Django's alphabetical order.
STAFF_APPS_FIRST = ("recruiting", "ingestion")
_django_app_list = admin.site.get_app_list


def staff_apps_first(request: HttpRequest, app_label: str | None = None) -> list[dict]:
    def rank(app: dict) -> int:
        label = app["app_label"]
        return STAFF_APPS_FIRST.index(label) if label in STAFF_APPS_FIRST else len(STAFF_APPS_FIRST)

    return sorted(_django_app_list(request, app_label), key=rank)


admin.site.get_app_list = staff_apps_first

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    # Before the admin's own pages, whose catch-all would answer first.
    path("admin/sandbox/", admin.site.admin_view(sandbox_page), name="sandbox_page"),
    path(
        "admin/sandbox/reports/<int:pk>/",
        admin.site.admin_view(sandbox_report),
        name="sandbox_report",
    ),
    path(
        "admin/interviewflow/",
        admin.site.admin_view(interviewflow_page),
        name="interviewflow_page",
    ),
    path("admin/", admin.site.urls),
    path("sandbox/", include("ingestion.sandbox.urls")),
    # With or without a trailing slash, as probes are written either way.
    re_path(r"^healthz/?$", health.healthz, name="healthz"),
    re_path(r"^readyz/?$", health.readyz, name="readyz"),
    path("favicon.ico", favicon),
    path("webhooks/ats/<slug:slug>/", ats_webhook, name="ats_webhook"),
    path(
        "webhooks/interviewflow/<str:token>/",
        interviewflow_webhook,
        name="interviewflow_webhook",
    ),
]
