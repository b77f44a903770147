"""The ready-made "Recruiters" group: what a recruiter needs, and no more."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

RECRUITERS = "Recruiters"
# Sending candidates to InterviewFlowAI, which no other permission implies.
PUSH_PERMISSION = "recruiting.push_candidate"


def recruiter_permissions() -> list[tuple[str, str]]:
    """(app label, codename) of every permission the group carries, where it exists."""
    imports = getattr(settings, "IMPORT_EXPORT_IMPORT_PERMISSION_CODE", None) or "import"
    exports = getattr(settings, "IMPORT_EXPORT_EXPORT_PERMISSION_CODE", None) or "export"
    return [
        ("recruiting", "view_candidate"),
        ("recruiting", "add_candidate"),
        ("recruiting", "change_candidate"),
        ("recruiting", "push_candidate"),
        # Recruiters keep their team's Interviewers, one per job pipeline.
        ("recruiting", "view_interviewer"),
        ("recruiting", "add_interviewer"),
        ("recruiting", "change_interviewer"),
        ("ingestion", "view_ingestionrequest"),
        # They follow their candidates' interviews, and apply an event again once they have
        # added the candidate it was about.
        ("ingestion", "view_webhookevent"),
        ("ingestion", "apply_webhookevent"),
        # The column mappings their imports save, kept and corrected by them.
        ("recruiting", "view_importmapping"),
        ("recruiting", "add_importmapping"),
        ("recruiting", "change_importmapping"),
        ("recruiting", "delete_importmapping"),
        # Spreadsheets: recruiters import and export candidates, and export what they can see.
        ("recruiting", f"{imports}_candidate"),
        ("recruiting", f"{exports}_candidate"),
        ("recruiting", f"{exports}_interviewer"),
        ("ingestion", f"{exports}_ingestionrequest"),
    ]


def recruiters_group_ensure(*, using: str = DEFAULT_DB_ALIAS) -> Group:
    """Create the group with its permissions if it is missing; an existing one is staff's."""
    group, created = Group.objects.using(using).get_or_create(name=RECRUITERS)
    if not created:
        return group
    wanted = Q()
    for app_label, codename in recruiter_permissions():
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.using(using).filter(wanted))
    return group


def recruiters_group_on_migrate(sender: Any, app_config: Any, using: str, **kwargs: Any) -> None:
    # Permissions are created app by app after migrate; ingestion's come after recruiting's
    # (INSTALLED_APPS order), so by then every permission the group uses exists.
    if app_config.label == "ingestion":
        recruiters_group_ensure(using=using)
