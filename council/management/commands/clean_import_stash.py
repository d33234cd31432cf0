"""`python manage.py clean_import_stash`: delete the import files whose confirm has expired (run it
from cron; the import pages also delete them as they go)."""

from django.core.management import BaseCommand

from council.framework.import_stash import import_stash_purge


class Command(BaseCommand):
    help = "確認の有効期限が切れた取り込み待ちのファイルを削除します。"

    def handle(self, *args, **options):
        deleted = import_stash_purge()
        self.stdout.write(self.style.SUCCESS(f"期限切れの取り込み待ちファイルを {deleted}件 削除しました。"))
