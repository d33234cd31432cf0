"""Staff import of the long format (団体コード, 団体名, 報告期間, 利用手続数): all or nothing."""

from council.framework.imports import cell_int
from council.framework.section_imports import SectionImporter
from online_procedures.exports import LONG_HEADERS, LONG_SHEET
from online_procedures.models import Procedure


class OnlineCountImporter(SectionImporter):
    title = "マイナポータル利用手続数（長形式）の取り込み"
    headers = LONG_HEADERS
    sheet_name = LONG_SHEET
    section_key = "online_procedures"
    section_prefetch = ("procedures",)

    def __init__(self):
        self.total = Procedure.objects.count()

    def parse_values(self, row, err):
        count, message = cell_int(row.values.get("利用手続数"), minimum=0, maximum=self.total)
        if message:
            err("利用手続数", message)
        return count

    def build_data(self, items, instance):
        """The file's count; a stored checklist is kept if it still agrees with it."""
        ticks = [p.pk for p in instance.procedures.all()] if instance else []
        count = items[0]
        return {"available_count": count, "procedure_ids": ticks if len(ticks) == count else []}

    def is_unchanged(self, instance, data):
        return instance.available_count == data["available_count"]
