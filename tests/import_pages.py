"""Drive the Import page as a recruiter does: upload a file, then confirm the preview."""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

IMPORT = reverse("admin:recruiting_candidate_import")
CONFIRM = reverse("admin:recruiting_candidate_process_import")


def user_with(*codenames: str) -> Any:
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def upload(client: Client, content: bytes | Path, name: str = "", **choices: Any) -> HttpResponse:
    """Post a file to the Import page; a path is uploaded under its own name unless named."""
    if isinstance(content, Path):
        name, content = name or content.name, content.read_bytes()
    file = SimpleUploadedFile(name or "candidates.csv", content)
    return client.post(IMPORT, {"import_file": file, "resource": "0", **choices})


def confirm(client: Client, preview: HttpResponse, **extra: Any) -> HttpResponse:
    """Press Confirm on a preview, with the choices its confirm form keeps."""
    data = {key: "" if value is None else value for key, value in initial(preview).items()}
    return client.post(CONFIRM, {**data, **extra})


def initial(preview: HttpResponse) -> dict[str, Any]:
    form = preview.context["confirm_form"]
    return {name: form[name].value() for name in form.fields}


def uploads(media: Path) -> list[str]:
    """The uploads waiting in storage between a preview and its confirmation."""
    folder = media / "django-import-export"
    return sorted(os.listdir(folder)) if folder.exists() else []


def page_text(html: str) -> str:
    """What a page says, without its markup: head, scripts and tags dropped, spaces folded."""
    html = re.sub(r"(?s)<(head|script|style)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


COLUMNS = reverse("admin:recruiting_candidate_import_columns")


def map_columns(client: Client, page: HttpResponse, **changes: Any) -> HttpResponse:
    """Press Continue on the mapping step, with the targets it proposes but for `changes`."""
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    return client.post(COLUMNS, {**data, **changes})
