from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from ingestion.sandbox.page import sandbox_page
from recruiting import health

# The admin is the whole site: no "View site" link that leads back to it.
admin.site.site_url = None

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    # Before the admin's own pages, whose catch-all would answer first.
    path("admin/sandbox/", admin.site.admin_view(sandbox_page), name="sandbox_page"),
    path("admin/", admin.site.urls),
    path("sandbox/", include("ingestion.sandbox.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
