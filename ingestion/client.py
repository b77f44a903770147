"""The only code that talks HTTP to InterviewFlowAI."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import StrEnum
from ssl import SSLCertVerificationError
from typing import Any
from urllib.parse import quote

import requests
import urllib3
from django.conf import settings
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.retry import Retry

INGEST_PATH = "/api/external/ingest/candidates"
FETCH_PATH = "/api/external/fetch/candidates"
# Answers that certainly created nothing and may succeed later.
RETRYABLE_STATUSES = {408, 429, 503}
KEY_REJECTED_STATUSES = {401, 403}
# Raised while the request is being prepared (a key or URL requests refuses to send),
# before any connection is opened.
UNSENDABLE_ERRORS = (
    requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
)
REDACTED = "[redacted]"
# An answer is read up to this size: enough for any error with field messages, never a
# runaway body held in memory.
ANSWER_READ_LIMIT = 1024 * 1024


class Outcome(StrEnum):
    """What an exchange means for the candidates it carried."""

    ACCEPTED = "accepted"  # a 2xx: they were created
    RETRY = "retry"  # certainly nothing was created, and a later try may succeed
    REJECTED = "rejected"  # refused for good (a 4xx)
    UNKNOWN = "unknown"  # they may or may not have been created


@dataclass(frozen=True)
class Exchange:
    """What happened to one POST: enough to decide what comes next and to keep as history."""

    outcome: Outcome
    url: str
    status_code: int | None = None
    data: Any = None
    text: str = ""
    sent: str = ""  # the request body as posted, once an answer came: the history keeps it
    duration_ms: int = 0
    retry_after: float | None = None
    error_class: str = ""
    error_message: str = ""

    @property
    def key_rejected(self) -> bool:
        return self.status_code in KEY_REJECTED_STATUSES


class IngestionClient:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        timeout: float,
        session: requests.Session | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + INGEST_PATH
        self.fetch_url = base_url.rstrip("/") + FETCH_PATH
        self._api_key = api_key
        self.timeout = timeout
        self.session = session or _session()

    def __repr__(self) -> str:
        return f"IngestionClient(url={self.url!r})"

    def ingest(self, body: dict[str, Any] | str) -> Exchange:
        """POST one batch; never raises for an HTTP status, only describes it.

        A body already serialised (JSON text) is posted as it is.
        """
        return self._post(self.url, body, headers={"X-API-KEY": self._api_key})

    def fetch(self, body: dict[str, Any]) -> Exchange:
        """POST one page request to the Fetch API, described the same way as a batch."""
        return self._post(self.fetch_url, body, headers={"X-API-KEY": self._api_key})

    def deliver_event(self, url: str, body: dict[str, Any]) -> Exchange:
        """POST one webhook event to a receiver, as InterviewFlowAI would: without the key."""
        return self._post(url, body, headers={})

    def _post(self, url: str, body: dict[str, Any] | str, *, headers: dict[str, str]) -> Exchange:
        started = time.monotonic()
        sent = body if isinstance(body, str) else json.dumps(body)
        try:
            response = self.session.post(
                url,
                data=sent,
                headers=headers,
                timeout=(self.timeout, self.timeout),
                allow_redirects=False,
                stream=True,
            )
            with response:
                content = response.raw.read(ANSWER_READ_LIMIT, decode_content=True)
        except requests.RequestException as exc:
            return self._failure(exc, started, url)
        except urllib3.exceptions.HTTPError as exc:  # the answer broke off while being read
            return self._failure(requests.ConnectionError(exc), started, url)
        return self._answer(response, content, started, url, sent)

    def close(self) -> None:
        self.session.close()

    def _answer(
        self, response: requests.Response, content: bytes, started: float, url: str, sent: str
    ) -> Exchange:
        # An upstream may quote the key back (an error naming the header it refused): it is
        # taken out here, before anything downstream keeps, logs or shows the answer.
        text = self._redact(content.decode(response.encoding or "utf-8", errors="replace"))
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            data = None
        return Exchange(
            outcome=classify_status(response.status_code),
            url=url,
            status_code=response.status_code,
            data=data,
            text=text,
            sent=sent,
            duration_ms=_elapsed_ms(started),
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )

    def _failure(self, exc: requests.RequestException, started: float, url: str) -> Exchange:
        return Exchange(
            outcome=Outcome.RETRY if _nothing_was_sent(exc) else Outcome.UNKNOWN,
            url=url,
            duration_ms=_elapsed_ms(started),
            error_class=type(exc).__name__,
            error_message=self._redact(str(exc))[:2000],
        )

    def _redact(self, text: str) -> str:
        """Hide the key, as it is and as it may be quoted: in Python, JSON or a URL."""
        key = self._api_key
        for secret in (key, repr(key)[1:-1], json.dumps(key)[1:-1], quote(key, safe="")):
            if secret:
                text = text.replace(secret, REDACTED)
        return text


def default_client() -> IngestionClient:
    return IngestionClient(
        base_url=settings.INTERVIEWFLOW_API_URL,
        api_key=settings.INTERVIEWFLOW_API_KEY,
        timeout=settings.INTERVIEWFLOW_TIMEOUT,
    )


def classify_status(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.ACCEPTED
    if status in RETRYABLE_STATUSES:
        return Outcome.RETRY
    if status >= 500:
        # A gateway error or a crash may come after the candidates were created.
        return Outcome.UNKNOWN
    return Outcome.REJECTED


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait, from a Retry-After given in seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def _session() -> requests.Session:
    session = requests.Session()
    session.headers.update({"Content-Type": "application/json", "Accept": "application/json"})
    # A POST is never retried below this client: a resend may create candidates twice.
    adapter = HTTPAdapter(max_retries=Retry(total=0, read=False, redirect=False, status=0))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _nothing_was_sent(exc: BaseException) -> bool:
    """True when the request failed before any byte reached the server."""
    if isinstance(exc, UNSENDABLE_ERRORS):
        return True
    if isinstance(exc, requests.ConnectTimeout):
        return True
    # urllib3 turns a TLS error anywhere in the exchange, reading the answer included, into
    # an SSLError: only a refused certificate is certain to have stopped the request unsent.
    if not isinstance(exc, requests.ConnectionError):
        return False
    seen: set[int] = set()
    pending: list[Any] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError | ConnectTimeoutError | SSLCertVerificationError):
            return True
        if isinstance(current, BaseException):
            pending.extend(
                [current.__cause__, current.__context__, getattr(current, "reason", None)]
            )
            pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return False


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
