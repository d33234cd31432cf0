"""`python manage.py export_meeting <meeting id> <out.xlsx>`: the meeting's workbook."""

from django.core.management import BaseCommand, CommandError

from council.framework.xlsx import write_workbook
from council.meetings.services import meeting_sheets
from council.models import Meeting


class Command(BaseCommand):
    help = "会議の資料一式（次第と資料ごとのシート）を Excel に書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("output")

    def handle(self, *args, meeting_id, output, **options):
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"会議 {meeting_id} はありません。")
        write_workbook(meeting_sheets(meeting), output, title=f"{meeting.full_title} 資料")
        self.stdout.write(self.style.SUCCESS(f"{output} に {meeting.full_title} の資料を書き出しました。"))
