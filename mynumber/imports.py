"""Staff import of the counts per organisation for one as-of date: all or nothing.

Columns: 時点, 団体コード, 団体名, 人口, 申請件数, 交付枚数 (required); 申請率, 交付率 (used when the
counts are blank, checked against them otherwise), 申請率全国順位, 交付率全国順位, 注記. The nation is
the row with 団体名「全国」 and no code. Rows replace those of the same organisations at that date.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from council.dates import validate_not_in_future
from council.framework.imports import (
    DateCell,
    DecimalCell,
    Importer,
    IntegerCell,
    OrganisationLookup,
    RowError,
    RowErrors,
    RowForm,
    TextCell,
    cell_text,
)
from mynumber.exports import DATA_SHEET, REQUIRED_HEADERS
from mynumber.models import Snapshot, SnapshotRow, derived_rate

MAX_COUNT = 200_000_000


class RateCell(DecimalCell):
    """A percentage, to one decimal place (77.4, 77.4%)."""

    not_a_number = "率は数値で入力してください（「{value}」）。"

    def __init__(self, column: str, **kwargs):
        super().__init__(column, places=1, percent=True, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and not (0 <= value <= 100):
            raise ValidationError(f"率は 0〜100 の範囲で入力してください（{value}）。")


class CountsRowForm(RowForm):
    """The counts of one organisation; the rules between them are `SnapshotRow.clean`, and given
    rates must agree with the rates the counts give."""

    as_of = DateCell("時点", validators=[validate_not_in_future])  # as the model's field
    population = IntegerCell("人口", minimum=0, maximum=MAX_COUNT, required=False)
    applications = IntegerCell("申請件数", minimum=0, maximum=MAX_COUNT, required=False)
    issued = IntegerCell("交付枚数", minimum=0, maximum=MAX_COUNT, required=False)
    application_rate = RateCell("申請率", required=False)
    issuance_rate = RateCell("交付率", required=False)
    application_rank = IntegerCell("申請率全国順位", minimum=1, maximum=2000, required=False)
    issuance_rank = IntegerCell("交付率全国順位", minimum=1, maximum=2000, required=False)
    rank_note = TextCell("注記", required=False, multiline=True)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        record = SnapshotRow(**{f: cleaned[f] for f in SnapshotRow.FIGURES})
        try:
            record.clean()
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned
        if record.has_counts:
            for field, part in (("application_rate", record.applications), ("issuance_rate", record.issued)):
                derived, given = derived_rate(part, record.population), cleaned[field]
                if given is not None and given != derived:
                    column = self.fields[field].label
                    self.add_error(
                        field, f"{column} {given}% が件数から計算した値（{derived}%）と一致しません。"
                    )
                else:
                    cleaned[field] = derived
        elif cleaned["application_rate"] is None or cleaned["issuance_rate"] is None:
            self.add_error("application_rate", "件数がない行は、申請率と交付率を入力してください。")
        return cleaned


@dataclass
class Plan:
    as_of: object
    rows: list[tuple[int, SnapshotRow]]
    snapshot: Snapshot | None = None
    new: int = 0
    changed: int = 0
    same: int = 0


class CountsImporter(Importer):
    title = "マイナンバーカード申請・交付件数の取り込み"
    headers = REQUIRED_HEADERS
    sheet_name = DATA_SHEET
    row_form = CountsRowForm

    def parse(self, rows, user):
        errors = RowErrors()
        cleaner = self.row_cleaner()
        organisations = OrganisationLookup(user)
        dates, planned, seen = set(), [], {}
        for row in rows:
            before = len(errors)

            def err(column, message, row=row):
                errors.append(RowError(row.number, column, message))

            code, name = cell_text(row.values.get("団体コード")), cell_text(row.values.get("団体名"))
            organisation = None
            if not code and name != "全国":
                err("団体コード", "値がありません（全国の行は団体名を「全国」にしてください）。")
            elif code:
                organisation = organisations.resolve(code, name, err)
            key = organisation.pk if organisation else ("全国" if name == "全国" else None)
            if key is not None and key in seen:
                err("団体コード", f"同じ団体の行が {seen[key]}行目にもあります。")
            seen.setdefault(key, row.number)
            values, row_errors = cleaner.clean(row)
            errors.extend(row_errors)
            if len(errors) > before:
                continue
            dates.add(values.pop("as_of"))
            planned.append((row.number, SnapshotRow(organisation=organisation, **values)))
        if len(dates) > 1:
            errors.append(
                RowError(
                    None,
                    "時点",
                    f"1つのファイルには1つの時点だけを入れてください（{len(dates)}種類あります）。",
                )
            )
        if errors:
            return None, errors
        plan = Plan(as_of=dates.pop(), rows=planned)
        self._compare(plan)
        return plan, errors

    @staticmethod
    def _compare(plan: Plan) -> None:
        plan.snapshot = Snapshot.objects.filter(as_of=plan.as_of).first()
        stored = {r.organisation_id: r for r in plan.snapshot.rows.all()} if plan.snapshot else {}
        for _, record in plan.rows:
            existing = stored.get(record.organisation_id)
            if existing is None:
                plan.new += 1
            elif all(getattr(existing, f) == getattr(record, f) for f in SnapshotRow.FIGURES):
                plan.same += 1
                record.pk = existing.pk
                record.unchanged = True
            else:
                plan.changed += 1
                record.pk = existing.pk

    def describe(self, plan: Plan) -> str:
        when = f"{plan.as_of:%Y-%m-%d}（{'既存の時点' if plan.snapshot else '新しい時点'}）"
        return f"時点 {when}: 新規 {plan.new}行、更新 {plan.changed}行、変更なし {plan.same}行。"

    def apply(self, plan: Plan, user) -> str:
        snapshot = plan.snapshot or Snapshot.objects.create(as_of=plan.as_of)
        for _, record in plan.rows:
            if getattr(record, "unchanged", False):
                continue
            record.snapshot = snapshot
            record._history_user = user
            record.save()
        return self.describe(plan)
