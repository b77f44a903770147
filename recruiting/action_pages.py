"""The intermediate page of a Candidate admin action that needs a form before it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from recruiting.wording import plural

PREVIEW_ROWS = 20
TEMPLATE = "admin/recruiting/candidate/action_form.html"

Apply = Callable[[list[int], dict[str, Any]], None]


@dataclass(frozen=True)
class ActionPage:
    """What an action asks before it runs: its form, and how its page is titled."""

    action: str
    form_class: type[forms.Form]
    title: str
    submit_label: str


def action_form_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    page: ActionPage,
    *,
    apply: Apply,
    form_kwargs: dict[str, Any] | None = None,
) -> TemplateResponse | None:
    """Show the action's form for the selection; once it is submitted valid, apply it.

    `apply` gets the selected ids and the cleaned data, does the work and tells the user
    what happened. Returning None sends the browser back to the change list.
    """
    kwargs = form_kwargs or {}
    bound = "apply" in request.POST
    form = page.form_class(request.POST, **kwargs) if bound else page.form_class(**kwargs)
    if form.is_valid():  # an unbound form, the page shown the first time, never is
        apply(list(queryset.values_list("pk", flat=True)), form.cleaned_data)
        return None
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": page.title,
            "submit_label": page.submit_label,
            "action": page.action,
            "form": form,
            **_selected(model_admin, queryset),
            **selection_context(request),
        },
    )


def _selected(model_admin: admin.ModelAdmin, queryset: QuerySet) -> dict[str, Any]:
    """How many candidates are selected, and the first few of them."""
    count = queryset.count()
    preview = list(queryset.select_related("interviewer")[:PREVIEW_ROWS])
    return {
        "intro": f"{plural(count, model_admin.opts.verbose_name)} selected.",
        "preview": preview,
        "more": max(0, count - len(preview)),
    }


def selection_context(request: HttpRequest) -> dict[str, Any]:
    """What a page posts back so that the admin runs the next step on the same selection.

    The ticked ids go back even when every row is selected ("select across"): the admin
    runs an action only when at least one row is ticked.
    """
    return {
        "selected_ids": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across") == "1",
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
