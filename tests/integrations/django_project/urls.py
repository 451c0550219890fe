from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.urls import path


def home(request: HttpRequest) -> HttpResponse:
    # A Django view beside the UI; it also leaves a value in the session for the UI's handlers to read.
    request.session["flavour"] = "vanilla"
    return HttpResponse(f"django home: {request.user.get_username() or 'anonymous'}", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for it on every Django page; a 404 would count as a problem in the browser tests.
    return HttpResponse(status=204)


urlpatterns = [
    path("favicon.ico", favicon),
    path("django/", home),
    path("accounts/login/", LoginView.as_view()),
]
