"""The steps every webhook receiver shares: a bounded body, a JSON object, a secret check."""

import io

import pytest
from django.test import RequestFactory

from ingestion.inbound.paths import dig, first_value
from ingestion.webhooks.receiving import (
    Refused,
    body_digest,
    bounded_body,
    hmac_sha256_hex,
    json_object,
    same_secret,
)


def _request(body: bytes, *, declared: int | None = None):
    request = RequestFactory().post("/hook/", data=body, content_type="application/json")
    if declared is not None:
        request.META["CONTENT_LENGTH"] = str(declared)
    return request


def test_a_body_within_the_limit_is_read_whole():
    assert bounded_body(_request(b'{"a": 1}'), limit=100) == b'{"a": 1}'


def test_a_declared_length_over_the_limit_is_refused_before_reading():
    request = _request(b"x" * 10, declared=10_000)
    with pytest.raises(Refused) as refused:
        bounded_body(request, limit=100)
    assert refused.value.status == 400
    assert "larger than" in refused.value.message


def test_a_body_longer_than_it_declared_is_cut_at_the_limit_and_refused():
    request = _request(b"")
    request.META["CONTENT_LENGTH"] = ""
    request._stream = io.BytesIO(b"y" * 5000)
    with pytest.raises(Refused):
        bounded_body(request, limit=1000)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not an object"),
        (b"[" * 100_000, "not JSON"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_named(raw, words):
    with pytest.raises(Refused) as refused:
        json_object(raw)
    assert words in refused.value.message
    assert refused.value.response().status_code == 400


def test_a_json_object_is_returned():
    assert json_object(b'{"event": "x"}') == {"event": "x"}


def test_the_digest_is_stable_and_differs_by_body():
    assert body_digest(b"a") == body_digest(b"a")
    assert body_digest(b"a") != body_digest(b"b")


def test_secrets_compare_by_value_and_an_empty_expected_secret_never_matches():
    signature = hmac_sha256_hex("s3cret", b"body")
    assert same_secret(signature, hmac_sha256_hex("s3cret", b"body"))
    assert not same_secret(signature, hmac_sha256_hex("other", b"body"))
    assert not same_secret("", "")


def test_paths_are_read_at_the_top_level_then_inside_data():
    body = {"data": {"candidate": {"email": "a@example.com"}}, "email": ""}
    assert dig(body, "data.candidate.email") == "a@example.com"
    assert dig(body, "data.candidate.email.more") is None
    assert first_value(body, ["email", "candidate.email"], within=("", "data")) == "a@example.com"
    assert first_value(body, ["missing"], within=("", "data")) is None
