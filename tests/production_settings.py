"""The production settings as they are, with one page more: a view that fails on purpose,
so that a test can see where a server error's traceback goes (tests.production_urls)."""

from recruiting.settings import *  # noqa: F403

ROOT_URLCONF = "tests.production_urls"
