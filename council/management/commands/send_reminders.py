"""`python manage.py send_reminders`: run daily (cron, a systemd timer, the compose scheduler).

Reminds the liaisons whose report for a period taking reports is not submitted, N days before its
deadline (REMINDER_DAYS_BEFORE, default 7 and 1) and once after it, and sends each prefecture's
staff a digest of who has not submitted (`council.reminders`). What was sent is recorded, so a second
run the same day sends nothing new. `--dry-run` lists who would be told and sends nothing. After the
reminders, the outbox is sent (mails due for a retry among them). `--from-hour 8` does nothing before
8:00, for a scheduler that runs it every few minutes (the docker compose scheduler)."""

from datetime import date

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from council import reminders
from council.mail import send_pending
from council.models import OutboxMail, ReminderLog
from council.wareki import wareki_date


class Command(BaseCommand):
    help = "提出期限の前（既定: 7日前・1日前）と期限後に、未提出の団体の連絡担当者へ催促し、県職員に提出状況のまとめを送ります。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="送信せず、送信する相手を表示します")
        parser.add_argument(
            "--days",
            help="提出期限の何日前に催促するか（カンマ区切り。既定: 設定 REMINDER_DAYS_BEFORE = "
            + ",".join(map(str, settings.REMINDER_DAYS_BEFORE))
            + "）",
        )
        parser.add_argument("--date", help="この日付として実行します（YYYY-MM-DD。既定: 今日）")
        parser.add_argument(
            "--from-hour",
            type=int,
            default=0,
            help="この時刻（0〜23時、TIME_ZONE の時刻）より前は何もしません。数分ごとに実行する"
            "スケジューラ（docker compose）で、催促を朝に送るために使います",
        )

    def handle(self, *args, **options):
        if not options["date"] and timezone.localtime().hour < options["from_hour"]:
            return
        today = self._date(options["date"])
        days = self._days(options["days"])
        planned = reminders.plan(today=today, days_before=days)
        for reminder in planned:
            self._list(reminder)
        liaison_count = sum(r.audience == ReminderLog.Audience.LIAISONS for r in planned)
        summary = f"{wareki_date(today)}: 催促 {liaison_count}団体、提出状況のまとめ {len(planned) - liaison_count}件"
        if options["dry_run"]:
            self.stdout.write(f"{summary}（--dry-run: 送信していません）")
            return
        started = timezone.now()
        told = reminders.send(planned)  # its mails go once it commits
        retried = send_pending()  # what is left, and earlier mails due for a retry
        mails = OutboxMail.objects.filter(created_at__gte=started)
        waiting = mails.filter(sent_at__isnull=True).count()
        retry = f"前に送れなかったメールの再送 {retried.sent}通。" if retried.sent or retried.failed else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary}、{told}名にお知らせしました。メール {mails.count()}通（未送信 {waiting}通）。{retry}"
            )
        )
        if waiting:
            self.stderr.write(
                "送信できなかったメールは再送を待っています（send_outbox、管理画面の「送信メール」）。"
            )

    def _list(self, reminder: reminders.Reminder) -> None:
        audience = ReminderLog.Audience(reminder.audience).label
        self.stdout.write(
            f"{reminder.period.label} {reminder.stage_label} {reminder.organisation.name} {audience}"
        )
        for user in reminder.users:
            name = user.get_full_name() or user.get_username()
            address = f"<{user.email}>" if user.email else "（メールアドレスなし: ポータルのお知らせのみ）"
            self.stdout.write(f"  {name} {address}")

    def _date(self, value: str | None) -> date:
        if not value:
            return timezone.localdate()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--date {value!r} は YYYY-MM-DD の形式で指定してください。") from None

    def _days(self, value: str | None) -> list[int]:
        if not value:
            return list(settings.REMINDER_DAYS_BEFORE)
        try:
            days = sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True)
        except ValueError:
            raise CommandError(
                f"--days {value!r} は 7,1 のように日数をカンマ区切りで指定してください。"
            ) from None
        if not days or min(days) < 0:
            raise CommandError("--days には 0 以上の日数を指定してください。")
        return days
