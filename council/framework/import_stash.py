"""The file between an import's dry run and its confirm, kept in the database (`ImportStash`).

`import_stash_put` keeps an upload that passed its dry run and returns the token the confirm button
posts; `import_stash_confirm` imports it for the same user on the same import page, and marks it
imported in the same transaction, so a second confirm (or two at once) imports nothing and says so.
Expired stashes are deleted whenever either runs, and by `manage.py clean_import_stash`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from council.framework import cache as dashboard_cache
from council.framework.imports import Importer, ImportResult, run_import
from council.models import ImportStash


class StashRefused(Exception):
    """The confirm imports nothing; `message` says why, in Japanese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def stash_lifetime() -> str:
    seconds = settings.IMPORT_STASH_SECONDS
    return f"{seconds // 3600}時間" if seconds % 3600 == 0 else f"{max(seconds // 60, 1)}分"


def import_stash_purge(*, now=None) -> int:
    """Delete every expired stash; how many there were."""
    deleted, _ = ImportStash.objects.expired(now).delete()
    return deleted


def import_stash_put(*, user, importer_key: str, filename: str, content: bytes) -> ImportStash:
    """Keep an upload that passed its dry run until `IMPORT_STASH_SECONDS` from now. A user keeps at
    most `IMPORT_STASH_PER_USER` files waiting per import: the newest replaces the oldest."""
    now = timezone.now()
    with transaction.atomic():
        import_stash_purge(now=now)
        waiting = ImportStash.objects.pending().filter(user=user, importer=importer_key)
        oldest = list(waiting.values_list("pk", flat=True)[max(settings.IMPORT_STASH_PER_USER - 1, 0) :])
        if oldest:
            ImportStash.objects.filter(pk__in=oldest).delete()
        return ImportStash.objects.create(
            token=secrets.token_urlsafe(32),
            user=user,
            importer=importer_key,
            filename=filename,
            content=content,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.IMPORT_STASH_SECONDS),
        )


def import_stash_confirm(
    *, token: str, user, importer_key: str, importer: Importer
) -> tuple[ImportStash, ImportResult]:
    """Validate the stashed file again and, if it is still clean, write it, and mark the stash
    imported, in one transaction. A token that is unknown, expired, another user's or another
    import's raises `StashRefused`, as does one already imported: nothing is written (expired
    stashes are deleted all the same)."""
    now = timezone.now()
    import_stash_purge(now=now)  # not undone by a refusal below
    with transaction.atomic():
        stash = (
            ImportStash.objects.select_for_update()  # a second confirm at once waits, then sees it imported
            .filter(token=token, user=user, importer=importer_key)
            .first()
        )
        if stash is None:
            raise StashRefused(
                f"確認済みのファイルが見つかりません（確認から{stash_lifetime()}を過ぎたか、"
                "この画面で確認したファイルではありません）。もう一度ファイルを選んで確認してください。"
            )
        if stash.imported_at is not None:
            raise StashRefused(
                f"{stash.filename} は既に取り込み済みです（{timezone.localtime(stash.imported_at):%H:%M}）。"
                "もう一度取り込むには、ファイルを選んで確認からやり直してください。"
            )
        result = run_import(importer, bytes(stash.content), user, commit=True)
        if result.ok:
            stash.imported_at, stash.content = now, b""
            stash.save(update_fields=["imported_at", "content"])
            dashboard_cache.invalidate()  # after the commit
    return stash, result
