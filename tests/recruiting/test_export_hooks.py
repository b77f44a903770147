"""The export goes through django-import-export's public hooks only, and says so if they change."""

from __future__ import annotations

import inspect

import pytest
from django.apps import apps
from django.contrib import admin
from import_export.admin import ExportMixin

from recruiting.models import Candidate
from tests.admin_pages import changelist_url
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

# What our Export page calls of the package, with the parameters it passes.
HOOKS = {
    "has_export_permission": ["self", "request"],
    "get_export_formats": ["self"],
    "get_export_queryset": ["self", "request"],
    "is_skip_export_form_enabled": ["self"],
    "get_export_form_class": ["self"],
    "get_export_resource_classes": ["self", "request"],
    "choose_export_resource_class": ["self", "form", "request"],
    "get_export_resource_kwargs": ["self", "request", "kwargs"],
    "get_export_filename": ["self", "request", "queryset", "file_format"],
    "init_request_context_data": ["self", "request", "form"],
    "export_action": ["self", "request"],
}


def package_classes(model_admin: admin.ModelAdmin) -> list[type]:
    return [cls for cls in type(model_admin).__mro__ if cls.__module__.startswith("import_export")]


def exporting_admins() -> list[admin.ModelAdmin]:
    registered = [
        admin.site.get_model_admin(m) for m in apps.get_models() if admin.site.is_registered(m)
    ]
    return [model_admin for model_admin in registered if isinstance(model_admin, ExportMixin)]


def test_no_admin_overrides_a_private_method_of_django_import_export():
    overridden = []
    for model_admin in exporting_admins():
        package = package_classes(model_admin)
        for cls in type(model_admin).__mro__:
            if not cls.__module__.startswith(("recruiting.", "ingestion.")):
                continue
            for name in vars(cls):
                private = name.startswith("_") and not name.startswith("__")
                if private and any(name in vars(base) for base in package):
                    overridden.append(f"{cls.__qualname__}.{name}")

    assert not overridden, (
        f"{overridden} override private methods of django-import-export, which change "
        "without notice between its releases: use its public hooks instead."
    )


@pytest.mark.parametrize("hook", HOOKS)
def test_the_hooks_the_export_page_calls_keep_their_parameters(hook):
    found = list(inspect.signature(getattr(ExportMixin, hook)).parameters)

    assert found == HOOKS[hook], (
        f"django-import-export's ExportMixin.{hook} now takes {found}, not {HOOKS[hook]}: "
        "recruiting/spreadsheet_export.py's export_action calls it; check it against the "
        "package's own export_action before allowing this version."
    )


def test_the_candidates_and_the_history_are_the_lists_with_an_export():
    assert {a.model._meta.model_name for a in exporting_admins()} == {
        "candidate",
        "ingestionrequest",
    }


def test_an_export_without_its_form_streams_the_csv_at_once(admin_client, settings):
    settings.IMPORT_EXPORT_SKIP_ADMIN_EXPORT_UI = True
    CandidateFactory(name="Ada Lovelace")

    answer = admin_client.get(
        changelist_url(Candidate).replace("/candidate/", "/candidate/export/")
    )

    assert answer.streaming
    assert "Ada Lovelace" in b"".join(answer.streaming_content).decode("utf-8-sig")
