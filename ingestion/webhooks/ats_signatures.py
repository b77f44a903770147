"""Whether a delivery comes from the ATS: each kind's signature or token, over the raw body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ingestion.models import AtsConnection
from ingestion.webhooks.receiving import hmac_sha256_hex, same_secret

Kind = AtsConnection.Kind


@dataclass(frozen=True)
class Scheme:
    header: str
    prefix: str  # what comes before the signature or token in the header
    signed: bool  # an HMAC-SHA256 of the body in hex; otherwise the secret itself


SCHEMES = {
    Kind.GREENHOUSE: Scheme("Signature", "sha256 ", signed=True),
    Kind.ASHBY: Scheme("Ashby-Signature", "sha256=", signed=True),
    Kind.WORKABLE: Scheme("X-Workable-Signature", "", signed=True),
    Kind.GENERIC: Scheme("Authorization", "Bearer ", signed=False),
}


def signature_valid(*, kind: str, secret: str, headers: Mapping[str, str], raw: bytes) -> bool:
    """Compare what the sender presented with what the secret gives, in constant time."""
    scheme = SCHEMES[kind]
    given = headers.get(scheme.header, "")
    if given[: len(scheme.prefix)].lower() != scheme.prefix.lower():
        return False
    presented = given[len(scheme.prefix) :].strip()
    if scheme.signed:
        return same_secret(presented.lower(), hmac_sha256_hex(secret, raw))
    return same_secret(presented, secret)


def signed_headers(*, kind: str, secret: str, raw: bytes) -> dict[str, str]:
    """The header the ATS sends with this body, as the test event and the tests send it."""
    scheme = SCHEMES[kind]
    value = hmac_sha256_hex(secret, raw) if scheme.signed else secret
    return {scheme.header: scheme.prefix + value}
