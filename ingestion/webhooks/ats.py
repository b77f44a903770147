"""POST /webhooks/ats/<slug>/: an ATS announces a stage change.

The signature (or bearer token) is checked over the raw body, read within its limit, before
anything is parsed; a delivery that fails it is answered 401 and only counted. An accepted
one is kept, answered at once, and applied after (`ingestion.dispatch`).
"""

from __future__ import annotations

import io
import logging

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ingestion.dispatch import ats_delivery_dispatch
from ingestion.inbound.ats.applying import ats_delivery_keep, ats_rejection_count
from ingestion.models import AtsConnection
from ingestion.webhooks.ats_signatures import signature_valid
from ingestion.webhooks.receiving import Refused, body_digest, bounded_body, json_object

logger = logging.getLogger(__name__)
JSON_TYPES = ("application/json",)
UNSIGNED = Refused(401, "The signature or token does not match this connection's secret.")
NO_CONNECTION = Refused(404, "No active ATS connection has this address.")
NOT_JSON = Refused(415, "Send the body as JSON, with Content-Type: application/json.")


@csrf_exempt
@require_POST
def ats_webhook(request: HttpRequest, slug: str) -> HttpResponse:
    connection = AtsConnection.objects.filter(slug=slug, active=True).first()
    if connection is None:
        return NO_CONNECTION.response()
    try:
        raw = bounded_body(request)
        _authenticate(connection, request, raw)
        if not _is_json(request.content_type):
            raise NOT_JSON
        body = json_object(raw)
    except Refused as refused:
        return refused.response()
    delivery, new = ats_delivery_keep(
        connection=connection, raw=raw, body=body, headers=request.headers, digest=body_digest(raw)
    )
    logger.info(
        "ATS delivery %s on connection %s: %s", delivery.pk, slug, "kept" if new else "repeated"
    )
    if new:
        ats_delivery_dispatch(delivery_id=delivery.pk)
    return JsonResponse({"received": True, "repeated": not new, "delivery": delivery.pk})


def _authenticate(connection: AtsConnection, request: HttpRequest, raw: bytes) -> None:
    if not signature_valid(
        kind=connection.kind, secret=connection.secret, headers=request.headers, raw=raw
    ):
        ats_rejection_count(connection=connection)
        logger.warning("ATS delivery refused on connection %s: bad signature", connection.slug)
        raise UNSIGNED


def _is_json(content_type: str) -> bool:
    return content_type in JSON_TYPES or content_type.endswith("+json")


def webhook_path(connection: AtsConnection) -> str:
    return reverse("ats_webhook", args=[connection.slug])


def deliver_in_process(
    request: HttpRequest, connection: AtsConnection, raw: bytes, headers: dict[str, str]
) -> HttpResponse:
    """Deliver a body to the connection's URL through the URL routing and the view, in this
    process: a request over HTTP to the app itself would wait for the worker serving it."""
    path = webhook_path(connection)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "SERVER_NAME": request.get_host().partition(":")[0],
        "SERVER_PORT": str(request.get_port()),
        "HTTP_HOST": request.get_host(),
        "wsgi.url_scheme": request.scheme,
        "wsgi.input": io.BytesIO(raw),
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }
    match = resolve(path)
    return match.func(WSGIRequest(environ), *match.args, **match.kwargs)
