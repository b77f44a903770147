from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from recruiting import health

# The admin is the whole site: no "View site" link that leads back to it.
admin.site.site_url = None
# The lists need the width of a laptop screen more than a second menu beside them.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("sandbox/", include("ingestion.sandbox.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
