"""Settings for the test suite: the project's own, with test values for what is required."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-secret-key")
os.environ.setdefault("INTERVIEWFLOW_API_URL", "http://127.0.0.1:9")
os.environ.setdefault("INTERVIEWFLOW_API_KEY", "unused-by-default")
os.environ.setdefault("INTERVIEWFLOW_SANDBOX_ENABLED", "true")

from recruiting.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
