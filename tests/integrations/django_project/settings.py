"""Settings of the tiny Django project the integration tests serve; paths come from the test's environment."""

from __future__ import annotations

import os
from pathlib import Path

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "pyreact_django",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.integrations.django_project.urls"
TEMPLATES = [
    {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [Path(__file__).parent / "templates"]}
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PYREACT_TEST_DJANGO_DB"]},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins; tests only
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/django/"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

PYREACT_APP = "tests.integrations.django_project.ui:ui"
