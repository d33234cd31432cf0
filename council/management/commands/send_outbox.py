"""`python manage.py send_outbox`: send the mails waiting in the outbox whose (next) attempt has
come, e.g. every 10 minutes from cron; `--retry-failed` first gives the mails whose retries were
exhausted another round. Exits with status 1 when a mail failed (cron mails the output)."""

from django.core.management import BaseCommand, CommandError

from council.mail import retry_failed, send_pending
from council.models import OutboxMail


class Command(BaseCommand):
    help = "送信待ち・再送待ちのメールを送信します（cron などで定期的に実行します）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="再送の上限に達して止まっているメールも、もう一度送信します",
        )

    def handle(self, *args, **options):
        if options["retry_failed"]:
            self.stdout.write(f"再送を止めていたメール {retry_failed()}件を送信し直します。")
        result = send_pending()
        waiting = OutboxMail.objects.filter(sent_at__isnull=True)
        self.stdout.write(
            f"送信 {result.sent}件、失敗 {result.failed}件。"
            f"未送信 {waiting.count()}件（うち再送停止 {waiting.filter(next_attempt_at__isnull=True).count()}件）。"
        )
        if result.failed:
            raise CommandError(
                "送信できなかったメールがあります（管理画面の「送信メール」に理由があります）。"
            )
