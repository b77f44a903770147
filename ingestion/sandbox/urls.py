from django.urls import path

from ingestion.sandbox import fetch, views

app_name = "sandbox"

urlpatterns = [
    path("api/external/ingest/candidates", views.ingest_candidates, name="ingest_candidates"),
    path("api/external/fetch/candidates", fetch.fetch_candidates, name="fetch_candidates"),
]
