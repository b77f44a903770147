"""Uploaded spreadsheets kept between an import's preview and its confirmation.

They live in a Django storage, not in a process's temp folder, so the web process that
confirms an import need not be the one that showed the preview: the `import_export`
entry of STORAGES when there is one (a bucket, a shared volume), else the default
storage under MEDIA_ROOT.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import IO
from uuid import uuid4

from django.core.files import File
from django.utils import timezone
from import_export.tmp_storages import MediaStorage

UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")


class UploadStorage(MediaStorage):
    """django-import-export's MediaStorage, written and read as a stream."""

    def save_upload(self, upload: File) -> str:
        self.name = uuid4().hex
        self._storage.save(self.get_full_path(), upload)
        return self.name

    def open(self) -> IO[bytes]:
        return self._storage.open(self.get_full_path(), "rb")

    def exists(self) -> bool:
        return bool(self.name) and self._storage.exists(self.get_full_path())


def upload_storage(name: str | None = None) -> UploadStorage:
    """The upload called `name`, or a new one; names are never paths."""
    if name is not None and not UPLOAD_NAME.fullmatch(name):
        raise ValueError("Not the name of an uploaded file.")
    return UploadStorage(name=name)


def uploads_remove_stale(*, older_than: timedelta) -> int:
    """Delete uploads left behind by imports that were previewed but never confirmed."""
    storage = upload_storage()
    backend, folder = storage._storage, storage.MEDIA_FOLDER
    try:
        names = backend.listdir(folder)[1]
    except FileNotFoundError:  # nothing was ever uploaded
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in names:
        path = f"{folder}/{name}"
        if UPLOAD_NAME.fullmatch(name) and backend.get_modified_time(path) < cutoff:
            backend.delete(path)
            removed += 1
    return removed
