"""What every webhook receiver does before it looks inside a delivery.

A receiver authenticates first, then reads the body within a limit, then keeps it: these
helpers are the middle step, shared by every receiver so each refuses the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.http import HttpRequest, JsonResponse

WEBHOOK_MAX_BYTES = 1024 * 1024
READ_CHUNK = 64 * 1024


class Refused(Exception):
    """A delivery this receiver will not keep, with the status and words to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def response(self) -> JsonResponse:
        return JsonResponse({"error": self.message}, status=self.status)


def bounded_body(request: HttpRequest, *, limit: int = WEBHOOK_MAX_BYTES) -> bytes:
    """The raw body, read from the stream and never past `limit` bytes.

    A declared length over the limit is refused before anything is read; a body that
    declares none (chunked) is read until it passes the limit, then refused.
    """
    too_big = Refused(400, f"The body is larger than {limit // 1024} KB.")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refused(400, "The Content-Length header is not a number.") from None
    if declared > limit:
        raise too_big
    parts: list[bytes] = []
    size = 0
    while chunk := request.read(min(READ_CHUNK, limit + 1 - size)):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise too_big
    return b"".join(parts)


def json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a refusal that says what it is instead."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused(400, "The body is not UTF-8 text.") from None
    except (ValueError, RecursionError):
        raise Refused(400, "The body is not JSON.") from None
    if not isinstance(value, dict):
        raise Refused(400, "The body is JSON but not an object.")
    return value


def body_digest(raw: bytes) -> str:
    """A stable id for a delivery whose sender gave it none."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def same_secret(given: str | bytes, expected: str | bytes) -> bool:
    """Compare a presented secret or signature with the expected one in constant time."""
    if isinstance(given, str):
        given = given.encode()
    if isinstance(expected, str):
        expected = expected.encode()
    return bool(expected) and hmac.compare_digest(given, expected)


def hmac_sha256_hex(secret: str, raw: bytes) -> str:
    return hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
