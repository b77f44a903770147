"""The admin's index puts staff's own work first."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_recruiting_then_ingestion_come_before_djangos_own_apps(admin_client):
    app_list = admin_client.get(reverse("admin:index")).context["app_list"]

    assert [app["app_label"] for app in app_list[:2]] == ["recruiting", "ingestion"]
    rest = [str(app["name"]) for app in app_list[2:]]
    assert "Periodic Tasks" in rest
    assert rest == sorted(rest, key=str.lower), "the others keep Django's alphabetical order"
