"""The application's URLs plus /boom/, a view that always raises."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BOOM_MESSAGE = "deliberate failure of the /boom/ test view"


class DeliberateFailure(Exception):
    """Raised by /boom/ only."""


def boom(request: HttpRequest) -> HttpResponse:
    raise DeliberateFailure(BOOM_MESSAGE)


urlpatterns = [
    path("boom/", boom),
    path("", include("recruiting.urls")),
]
