"""The history's date hierarchy, its periods found by probing rather than by a full scan."""

from __future__ import annotations

from copy import copy
from typing import Any

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy

from recruiting.change_lists import DateBuckets

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def probed_date_hierarchy(cl: Any) -> dict[str, Any]:
    """Django's own date hierarchy, reading its periods through `DateBuckets`."""
    probed = copy(cl)
    probed.queryset = DateBuckets(cl.queryset, cl.date_hierarchy, rows=cl.result_count)
    return date_hierarchy(probed)
