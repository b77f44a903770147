"""Interview event types in words on the pages that list them."""

from __future__ import annotations

from django import template

from ingestion.inbound.messages import event_type_words

register = template.Library()
register.filter("event_words", event_type_words)
