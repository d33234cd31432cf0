"""Staff import of the counts per organisation for one as-of date: all or nothing.

Columns: 時点, 団体コード, 団体名, 人口, 申請件数, 交付枚数 (required); 申請率, 交付率 (used when the
counts are blank, checked against them otherwise), 申請率全国順位, 交付率全国順位, 注記. The nation is
the row with 団体名「全国」 and no code. Rows replace those of the same organisations at that date.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from council.framework.imports import Importer, OrganisationLookup, RowError, cell_date, cell_int, cell_text
from mynumber.exports import DATA_SHEET, REQUIRED_HEADERS
from mynumber.models import Snapshot, SnapshotRow, derived_rate


def cell_rate(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    text = str(value).strip().rstrip("%％")
    try:
        rate = Decimal(text).quantize(Decimal("0.1"))
    except InvalidOperation:
        return None, f"率は数値で入力してください（「{value}」）。"
    if not (0 <= rate <= 100):
        return None, f"率は 0〜100 の範囲で入力してください（{rate}）。"
    return rate, ""


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

    def parse(self, rows, user):
        errors: list[RowError] = []
        organisations = OrganisationLookup(user)
        dates, planned, seen = set(), [], {}
        for row in rows:
            v = row.values
            before = len(errors)

            def err(column, message, row=row):
                errors.append(RowError(row.number, column, message))

            as_of, message = cell_date(v.get("時点"))
            if message or as_of is None:
                err("時点", message or "値がありません。")
            else:
                dates.add(as_of)
            code, name = cell_text(v.get("団体コード")), cell_text(v.get("団体名"))
            organisation = None
            if not code and name != "全国":
                err("団体コード", "値がありません（全国の行は団体名を「全国」にしてください）。")
            elif code:
                organisation = organisations.resolve(code, name, err)
            counts = {}
            for column, field in (
                ("人口", "population"),
                ("申請件数", "applications"),
                ("交付枚数", "issued"),
            ):
                counts[field], message = cell_int(
                    v.get(column), minimum=0, maximum=200_000_000, required=False
                )
                if message:
                    err(column, message)
            rates = {}
            for column, field in (("申請率", "application_rate"), ("交付率", "issuance_rate")):
                rates[field], message = cell_rate(v.get(column))
                if message:
                    err(column, message)
            ranks = {}
            for column, field in (
                ("申請率全国順位", "application_rank"),
                ("交付率全国順位", "issuance_rank"),
            ):
                ranks[field], message = cell_int(v.get(column), minimum=1, maximum=2000, required=False)
                if message:
                    err(column, message)
            key = organisation.pk if organisation else ("全国" if name == "全国" else None)
            if key is not None and key in seen:
                err("団体コード", f"同じ団体の行が {seen[key]}行目にもあります。")
            seen.setdefault(key, row.number)
            if len(errors) > before:
                continue
            record = SnapshotRow(
                organisation=organisation,
                **counts,
                rank_note=cell_text(v.get("注記")),
                **ranks,
                application_rate=rates["application_rate"],
                issuance_rate=rates["issuance_rate"],
            )
            self._rates(record, row, err)
            if len(errors) == before:
                planned.append((row.number, record))
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
    def _rates(record: SnapshotRow, row, err) -> None:
        """Derive the rates from the counts; counts and given rates must agree."""
        try:
            record.clean()
        except ValidationError as error:
            labels = {"population": "人口", "applications": "申請件数", "issued": "交付枚数"}
            for field, messages in error.message_dict.items():
                for message in messages:
                    err(labels.get(field, field), message)
            return
        if record.has_counts:
            for field, column, part in (
                ("application_rate", "申請率", record.applications),
                ("issuance_rate", "交付率", record.issued),
            ):
                derived = derived_rate(part, record.population)
                given = getattr(record, field)
                if given is not None and given != derived:
                    err(column, f"{column} {given}% が件数から計算した値（{derived}%）と一致しません。")
                setattr(record, field, derived)
        elif record.application_rate is None or record.issuance_rate is None:
            err("申請率", "件数がない行は、申請率と交付率を入力してください。")

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
