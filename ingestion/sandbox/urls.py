from django.urls import path

from ingestion.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("api/external/ingest/candidates", views.ingest_candidates, name="ingest_candidates"),
]
