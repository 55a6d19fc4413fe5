"""Test settings: the real settings, with fast hashing and in-process tasks."""

import tempfile
from pathlib import Path

from guichet.settings import *  # noqa: F403 - the test settings extend the real ones
from guichet.settings import TASKS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASKS["default"]["QUEUES"],
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="guichet-test-media-"))
LANGUAGE_CODE = "en"
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="guichet-test-static-"))

# The suggestions' topic model: none unless a test writes one (never var/'s).
SUGGEST_MODEL = Path(tempfile.mkdtemp(prefix="guichet-test-suggest-")) / "topics.npz"
