"""Staff import of the long-format sheet (the export's 「データ」 sheet): all or nothing.

For each municipality × period in the file, the file's rows become that report's step progress.
Approved or submitted reports may only be re-imported unchanged; anything else is a row error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from council import registry, services
from council.imports import (
    Importer,
    ImportRejected,
    RowError,
    SheetRow,
    cell_bool,
    cell_date,
    cell_int,
    cell_text,
)
from council.models import EDITABLE_STATUSES, Municipality, ReportingPeriod, StatusReport
from standardization.exports import LONG_HEADERS, LONG_SHEET
from standardization.models import PLAN_RANGE, Operation, StandardizationProgress, Step

FIELDS = ("operations_done", "partial", "planned_date", "actual_date")


@dataclass
class Group:
    municipality: Municipality
    period: ReportingPeriod
    first_row: int
    steps: dict[int, dict] = field(default_factory=dict)
    report: StatusReport | None = None
    changed: bool = True


class StepProgressImporter(Importer):
    title = "標準化の進捗（長形式）の取り込み"
    headers = LONG_HEADERS
    sheet_name = LONG_SHEET

    def parse(self, rows: list[SheetRow], user):
        errors: list[RowError] = []
        visible = {m.code: m for m in Municipality.objects.for_user(user).reporting()}
        known = set(Municipality.objects.values_list("code", flat=True))
        steps = {s.name: s for s in Step.objects.all()}
        periods = {}
        for p in ReportingPeriod.objects.all():
            periods[p.label] = periods[p.slug] = p
        total = Operation.objects.count()
        today = timezone.localdate()
        groups: dict[tuple[int, int], Group] = {}
        seen: dict[tuple[str, str, str], int] = {}

        for row in rows:
            v = row.values
            bad = len(errors)

            def err(column, message, row=row):
                errors.append(RowError(row.number, column, message))

            code = cell_text(v.get("団体コード"))
            municipality = visible.get(code)
            if not code:
                err("団体コード", "値がありません。")
            elif municipality is None:
                err("団体コード", f"団体コード「{code}」は" + ("この利用者が取り込める団体ではありません。" if code in known else "登録されていません。"))
            elif cell_text(v.get("団体名")) and cell_text(v.get("団体名")) != municipality.name:
                err("団体名", f"団体名「{cell_text(v.get('団体名'))}」が団体コード {code}（{municipality.name}）と一致しません。")
            period = periods.get(cell_text(v.get("報告期間")))
            if period is None:
                err("報告期間", f"報告期間「{cell_text(v.get('報告期間'))}」は登録されていません（例: 令和4年度 第4四半期、2022-Q4）。")
            step = steps.get(cell_text(v.get("ステップ")))
            if step is None:
                err("ステップ", f"ステップ「{cell_text(v.get('ステップ'))}」は登録されていません。")
            count, message = cell_int(v.get("業務数"), minimum=0, maximum=total)
            if message:
                err("業務数", message)
            partial, message = cell_bool(v.get("一部"))
            if message:
                err("一部", message)
            elif partial and not count:
                err("一部", "「一部」は業務数が1以上のときだけ指定できます。")
            dates = {}
            for column, name in (("完了予定日", "planned_date"), ("完了日（実績）", "actual_date")):
                value, message = cell_date(v.get(column))
                if message:
                    err(column, message)
                elif value and not (PLAN_RANGE[0] <= value <= PLAN_RANGE[1]):
                    err(column, f"{PLAN_RANGE[0]:%Y-%m-%d}〜{PLAN_RANGE[1]:%Y-%m-%d} の範囲で入力してください。")
                dates[name] = value
            if dates["actual_date"] and dates["actual_date"] > today:
                err("完了日（実績）", "未来の日付は入力できません。")
            key = (code, period.pk if period else cell_text(v.get("報告期間")), cell_text(v.get("ステップ")))
            if key in seen:
                err("ステップ", f"同じ団体・報告期間・ステップの行が {seen[key]}行目にもあります。")
            seen.setdefault(key, row.number)
            if len(errors) > bad:
                continue
            group = groups.setdefault((municipality.pk, period.pk), Group(municipality, period, row.number))
            group.steps[step.pk] = {"step_id": step.pk, "operations_done": count, "partial": partial, **dates}

        self._check_reports(groups, errors)
        return list(groups.values()), errors

    def _check_reports(self, groups: dict[tuple[int, int], Group], errors: list[RowError]) -> None:
        """Compare with what is stored: unchanged groups are skipped; frozen reports may not change."""
        if not groups:
            return
        reports = StatusReport.objects.filter(
            municipality_id__in={m for m, _ in groups}, period_id__in={p for _, p in groups}
        ).select_related("period")
        by_key = {(r.municipality_id, r.period_id): r for r in reports}
        sections = StandardizationProgress.objects.filter(report__in=list(by_key.values())).prefetch_related("steps__operations")
        stored = {
            s.report_id: {row.step_id: row for row in s.steps.all() if row.operations_done or row.planned_date or row.actual_date}
            for s in sections
        }
        for key, group in groups.items():
            group.report = by_key.get(key)
            current = stored.get(group.report.pk) if group.report else None
            if current is not None:
                same = set(current) == set(group.steps) and all(
                    getattr(current[step_id], f) == group.steps[step_id][f] for step_id in current for f in FIELDS
                )
                group.changed = not same
                for step_id, data in group.steps.items():  # keep per-operation ticks when the count still agrees
                    row = current.get(step_id)
                    ticks = [op.pk for op in row.operations.all()] if row else []
                    data["operation_ids"] = ticks if len(ticks) == data["operations_done"] else []
            if group.changed and group.report and group.report.status not in EDITABLE_STATUSES:
                errors.append(
                    RowError(
                        group.first_row,
                        "報告期間",
                        f"{group.municipality.name}の{group.period.label}の報告は「{group.report.get_status_display()}」のため変更できません。"
                        "変更するには報告を再開（または差戻し）してから取り込んでください。",
                    )
                )

    def describe(self, plan: list[Group]) -> str:
        changed = [g for g in plan if g.changed]
        new = sum(1 for g in changed if g.report is None)
        return (
            f"{len(plan)}件の団体・報告期間のうち、{len(changed)}件を更新します（うち報告の新規作成 {new}件）。"
            f"{len(plan) - len(changed)}件は変更がありません。"
        )

    def apply(self, plan: list[Group], user) -> str:
        section = registry.sections.get("standardization")
        for group in plan:
            if not group.changed:
                continue
            report = group.report or services.report_start(municipality=group.municipality, period=group.period, user=user)
            current = section.instance_for(report)
            try:
                services.section_save(
                    report=report,
                    section=section,
                    data={"steps": list(group.steps.values())},
                    expected_version=current.version if current else 0,
                    user=user,
                )
            except services.ReportError as error:
                raise ImportRejected([RowError(group.first_row, "", error.message)]) from None
        return self.describe(plan)

