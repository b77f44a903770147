"""Settings for the test suite: the project's own, with test values for what is required."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-secret-key")
os.environ.setdefault("INTERVIEWFLOW_API_URL", "http://127.0.0.1:9")
os.environ.setdefault("INTERVIEWFLOW_API_KEY", "unused-by-default")
os.environ.setdefault("INTERVIEWFLOW_SANDBOX_ENABLED", "true")
# The suite's Interviewers have ids of their own: its sandbox knows any id (the tests of the
# sandbox's list of known ids set one).
os.environ.setdefault("INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS", "*")
# The suite and its browser talk plain HTTP to a local server, as a local trial does.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from recruiting.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files from the finders, as in DEBUG: the suite runs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: each thread (the live server's, the sandbox's) then opens a
    # connection of its own, as in production, instead of sharing the test's one. Its
    # folder goes at exit, with the write-ahead log beside the file.
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    _test_db_dir = tempfile.mkdtemp(prefix="recruiting-tests-")
    atexit.register(shutil.rmtree, _test_db_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(Path(_test_db_dir) / "test.sqlite3")}  # noqa: F405
