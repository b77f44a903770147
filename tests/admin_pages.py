"""Drive the Django admin through the test client the way a browser would."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def changelist_url(model: type[Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def run_action(
    client: Client, model: type[Model], action: str, objects: list[Model], *, query: str = ""
) -> HttpResponse:
    """Tick the objects on the change list, pick the action and press Go."""
    return client.post(
        changelist_url(model) + query,
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], "index": 0},
    )


def submit_action_page(client: Client, page: HttpResponse, **fields: Any) -> HttpResponse:
    """Submit an intermediate action page with its own hidden inputs and the given fields."""
    data = {**hidden_inputs(page), "apply": "apply", **fields}
    return client.post(page.wsgi_request.get_full_path(), data)


def messages_of(response: HttpResponse) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response: HttpResponse) -> dict[str, list[str]]:
    """The errors of an add or change form the admin showed again, by field."""
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def query_count(client: Client, url: str) -> int:
    """How many queries showing the page takes."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def action_choices(response: HttpResponse) -> list[str]:
    form = response.context["action_form"]  # None when the user may run no action at all
    return [name for name, _ in form.fields["action"].choices if name] if form else []


def link_named(html: str, text: str) -> str:
    """The address of the link with this text."""
    found = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(text)}</a>', html)
    assert found, f"no link “{text}” in {html}"
    return unescape(found.group(1))


def hidden_inputs(page: HttpResponse) -> dict[str, list[str]]:
    parser = _HiddenInputs()
    parser.feed(page.content.decode())
    return parser.values


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.values.setdefault(found["name"], []).append(found.get("value") or "")
