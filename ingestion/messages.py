"""Plain words for staff about what the Ingestion API answered."""

from __future__ import annotations

import json
import re
from typing import Any

from ingestion import payloads
from ingestion.client import UNSENDABLE_ERRORS, Exchange, Outcome
from ingestion.models import IngestionRequest, Trigger

DETAIL_LIMIT = 500
MAY_EXIST = (
    "The candidates may have been created: check in InterviewFlowAI before resending, or "
    "they may get a second invitation."
)
ITEM_FIELD = re.compile(r"^data(?:\[(\d+)\]|\.(\d+))(?:\.(.+))?$")
UNSENDABLE = {error.__name__ for error in UNSENDABLE_ERRORS}


def exchange_error(exchange: Exchange, *, body: dict[str, Any] | None = None) -> str:
    """Explain a failed exchange in a sentence a recruiter can act on.

    With the request `body`, field errors such as `data.2.email` name the candidate.
    """
    code = exchange.status_code
    if code is None:
        return _transport_error(exchange)
    items = payloads.body_items(body)
    detail = upstream_detail(exchange.data, items=items) or _excerpt(exchange.text)
    suffix = f" It said: {detail}" if detail else ""
    if code in (401, 403):
        return (
            f"InterviewFlowAI rejected the API key (HTTP {code}). Delivery is paused: fix "
            "INTERVIEWFLOW_API_KEY, then press Resume delivery in the admin."
        )
    if code == 404:
        return (
            "InterviewFlowAI does not know this Interviewer (HTTP 404): check its "
            f"interviewer id.{suffix}"
        )
    if code == 429:
        return f"InterviewFlowAI is limiting the request rate (HTTP 429).{suffix}"
    if 300 <= code < 400:
        return (
            f"The API answered with a redirect (HTTP {code}); check INTERVIEWFLOW_API_URL.{suffix}"
        )
    if exchange.outcome == Outcome.RETRY:
        return f"InterviewFlowAI is unavailable for now (HTTP {code}).{suffix}"
    if exchange.outcome == Outcome.UNKNOWN:
        return f"InterviewFlowAI answered with a server error (HTTP {code}). {MAY_EXIST}{suffix}"
    return f"InterviewFlowAI refused the candidates (HTTP {code}).{suffix}"


def _transport_error(exchange: Exchange) -> str:
    """No HTTP answer: say whether the request can have reached InterviewFlowAI."""
    cause = f"{exchange.error_class}: {exchange.error_message}"
    if exchange.error_class in UNSENDABLE:
        return (
            f"The request could not be made ({cause}). Check INTERVIEWFLOW_API_URL and "
            "INTERVIEWFLOW_API_KEY. Nothing was sent."
        )
    if exchange.outcome == Outcome.RETRY:
        return f"InterviewFlowAI could not be reached ({cause}). Nothing was sent."
    return f"No answer from InterviewFlowAI after sending ({cause}). {MAY_EXIST}"


def upstream_detail(data: Any, *, items: list[Any] | None = None) -> str:
    """Pull a readable message out of an error body, whatever its shape."""
    if not isinstance(data, dict):
        return ""
    said = [data[key] for key in ("message", "error", "detail") if isinstance(data.get(key), str)]
    problems: list[str] = []
    errors = data.get("errors")
    if isinstance(errors, dict):
        for field, messages in errors.items():
            if isinstance(messages, list):
                messages = ", ".join(str(m) for m in messages)
            problems.append(f"{_field_label(str(field), items)}: {messages}")
    elif isinstance(errors, list):
        problems.extend(str(error) for error in errors)
    return _excerpt(" ".join([*said, "; ".join(problems)]).strip())


def _field_label(field: str, items: list[Any] | None) -> str:
    """`data[2].email` or `data.2.email` -> the candidate sent at that place, and the field."""
    found = ITEM_FIELD.match(field)
    if not found or not items:
        return field
    index = int(found.group(1) or found.group(2))
    item = items[index] if index < len(items) else None
    if not isinstance(item, dict):
        return field
    who = f"{item.get('name', '')} <{item.get('email', '')}>".strip()
    return f"{who}, {found.group(3)}" if found.group(3) else who


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > DETAIL_LIMIT:
        return text[: DETAIL_LIMIT - 1] + "…"
    return text


def request_problem(request: IngestionRequest) -> str:
    """The same words staff saw when this request failed, rebuilt from its history row."""
    if request.outcome == Outcome.ACCEPTED:
        return ""
    try:
        data = json.loads(request.response_body) if request.response_body else None
    except ValueError:
        data = None
    exchange = Exchange(
        outcome=Outcome(request.outcome),
        url=request.url,
        status_code=request.http_status,
        data=data,
        text=request.response_body,
        error_class=request.error_class,
        error_message=request.error_message,
    )
    if request.trigger == Trigger.FETCH:
        return fetch_error(exchange)
    return exchange_error(exchange, body=request.request_body)


def fetch_error(exchange: Exchange) -> str:
    """Why a page of the Fetch API could not be read; a walk that stops changes nothing."""
    code = exchange.status_code
    if exchange.key_rejected:
        return (
            f"InterviewFlowAI rejected the API key (HTTP {code}) on the Fetch API: fix "
            "INTERVIEWFLOW_API_KEY. Nothing was changed."
        )
    answer = f"HTTP {code}" if code else f"{exchange.error_class}: {exchange.error_message}"
    detail = upstream_detail(exchange.data) or _excerpt(exchange.text)
    suffix = f" It said: {detail}" if detail else ""
    return f"The Fetch API did not answer a page ({answer}).{suffix} Nothing was changed."
