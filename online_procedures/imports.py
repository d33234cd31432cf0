"""Staff import of the long format (団体コード, 団体名, 報告期間, 利用手続数): all or nothing."""

from django.core.exceptions import ValidationError

from council.framework.imports import IntegerCell, RowForm
from council.framework.section_imports import SectionImporter
from online_procedures.exports import LONG_HEADERS, LONG_SHEET
from online_procedures.models import Procedure, available_count_error


class CountRowForm(RowForm):
    """The number of procedures of one report; its range is `available_count_error`, as in the form."""

    available_count = IntegerCell("利用手続数")

    def __init__(self, cells, *, total: int):
        super().__init__(cells)
        self.total = total

    def clean_available_count(self) -> int:
        count = self.cleaned_data["available_count"]
        if message := available_count_error(count, self.total):
            raise ValidationError(message)
        return count


class OnlineCountImporter(SectionImporter):
    title = "マイナポータル利用手続数（長形式）の取り込み"
    headers = LONG_HEADERS
    sheet_name = LONG_SHEET
    section_key = "online_procedures"
    section_prefetch = ("procedures",)
    row_form = CountRowForm

    def get_row_form_kwargs(self):
        return {"total": Procedure.objects.count()}

    def build_data(self, items, instance):
        """The file's count; a stored checklist is kept if it still agrees with it."""
        ticks = [p.pk for p in instance.procedures.all()] if instance else []
        count = items[0]["available_count"]
        return {"available_count": count, "procedure_ids": ticks if len(ticks) == count else []}

    def is_unchanged(self, instance, data):
        return instance.available_count == data["available_count"]
