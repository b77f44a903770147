"""Tell staff in the admin what a service did: (level, sentence) pairs become messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html

LEVELS = {
    "success": messages.SUCCESS,
    "info": messages.INFO,
    "warning": messages.WARNING,
    "error": messages.ERROR,
}


def tell(
    model_admin: admin.ModelAdmin, request: HttpRequest, lines: Iterable[tuple[str, str]]
) -> None:
    for level, text in lines:
        model_admin.message_user(request, text, LEVELS[level])


def state_badge(state: str, label: str, *, title: str = "") -> str:
    """A delivery state or a request's outcome as a coloured badge, its detail on hover."""
    return format_html(
        '<span class="state-badge state-{}" title="{}">{}</span>', state, title, label
    )


def user_name(user: Any) -> str:
    """Who did it, as plain text: a link would lead recruiters to a page they may not open."""
    return user.get_username() if user is not None else "-"
