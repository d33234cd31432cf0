"""Imports that write report sections: one section per organisation × period found in the file.

The base class reads the columns every such sheet has (団体コード, 団体名, 報告期間), scopes the
organisations to the importing user, rejects duplicates, compares each group with what is stored
(unchanged groups are skipped, so re-importing an export changes nothing), refuses changes to
submitted or approved reports, and writes through `section_save`, the same path as the form.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError

from council import services
from council.framework import registry
from council.framework.imports import (
    Importer,
    ImportRejected,
    OrganisationLookup,
    RowError,
    RowErrors,
    SheetRow,
    cell_text,
)
from council.models import EDITABLE_STATUSES, Municipality, ReportingPeriod, StatusReport
from council.text import quoted

logger = logging.getLogger(__name__)


@dataclass
class SectionGroup:
    municipality: Municipality
    period: ReportingPeriod
    first_row: int
    items: list[Any] = field(default_factory=list)
    report: StatusReport | None = None
    data: dict | None = None
    changed: bool = True


class SectionImporter(Importer):
    """Subclasses set `section_key` and `row_form` (the section's own columns; the cleaned values
    of a row are its item) and implement `build_data` and `is_unchanged`; `item_key` names what may
    appear once per group (None: one row per group)."""

    section_key = ""
    section_prefetch: tuple[str, ...] = ()
    #: how a duplicate is named, and the column it is reported in
    duplicate_what = "団体・報告期間"
    duplicate_column = "報告期間"

    def item_key(self, item: dict[str, Any]):
        return None

    def build_data(self, items: list[dict[str, Any]], instance) -> dict:
        raise NotImplementedError

    def is_unchanged(self, instance, data: dict) -> bool:
        raise NotImplementedError

    @property
    def section(self) -> registry.SectionSpec:
        return registry.sections.get(self.section_key)

    def parse(self, rows: list[SheetRow], user):
        errors = RowErrors()
        cleaner = self.row_cleaner()
        organisations = OrganisationLookup(user, Municipality.objects.for_user(user).reporting())
        periods = {}
        for p in ReportingPeriod.objects.all():
            periods[p.label] = periods[p.slug] = p
        groups: dict[tuple[int, int], SectionGroup] = {}
        seen: dict[tuple, int] = {}
        for row in rows:
            before = len(errors)

            def err(column, message, row=row):
                errors.append(RowError(row.number, column, message))

            municipality, period = self._organisation_and_period(row, organisations, periods, err)
            item, row_errors = cleaner.clean(row)
            errors.extend(row_errors)
            if len(errors) > before:
                continue
            key = (municipality.pk, period.pk, self.item_key(item))
            if key in seen:
                err(self.duplicate_column, f"同じ{self.duplicate_what}の行が {seen[key]}行目にもあります。")
                continue
            seen[key] = row.number
            group = groups.setdefault(
                (municipality.pk, period.pk), SectionGroup(municipality, period, row.number)
            )
            group.items.append(item)
        self._compare_with_stored(groups, errors)
        return list(groups.values()), errors

    @staticmethod
    def _organisation_and_period(row, organisations, periods, err):
        municipality = organisations.resolve(
            cell_text(row.values.get("団体コード")), cell_text(row.values.get("団体名")), err
        )
        label = cell_text(row.values.get("報告期間"))
        period = periods.get(label)
        if period is None:
            err(
                "報告期間",
                f"報告期間「{quoted(label)}」は登録されていません（例: 令和4年度 第4四半期、2022-Q4）。",
            )
        return municipality, period

    def _compare_with_stored(
        self, groups: dict[tuple[int, int], SectionGroup], errors: list[RowError]
    ) -> None:
        if not groups:
            return
        reports = {
            (r.municipality_id, r.period_id): r
            for r in StatusReport.objects.filter(
                municipality_id__in={m for m, _ in groups}, period_id__in={p for _, p in groups}
            )
        }
        sections = {
            s.report_id: s
            for s in self.section.model.objects.filter(report__in=list(reports.values())).prefetch_related(
                *self.section_prefetch
            )
        }
        for key, group in groups.items():
            group.report = reports.get(key)
            instance = sections.get(group.report.pk) if group.report else None
            group.data = self.build_data(group.items, instance)
            group.changed = instance is None or not self.is_unchanged(instance, group.data)
            if group.changed and group.report and group.report.status not in EDITABLE_STATUSES:
                errors.append(
                    RowError(
                        group.first_row,
                        "報告期間",
                        f"{group.municipality.name}の{group.period.label}の報告は「{group.report.get_status_display()}」のため変更できません。"
                        "変更するには報告を再開（または差戻し）してから取り込んでください。",
                    )
                )

    def describe(self, plan: list[SectionGroup]) -> str:
        changed = [g for g in plan if g.changed]
        new = sum(1 for g in changed if g.report is None)
        return (
            f"{len(plan)}件の団体・報告期間のうち、{len(changed)}件を更新します（うち報告の新規作成 {new}件）。"
            f"{len(plan) - len(changed)}件は変更がありません。"
        )

    def apply(self, plan: list[SectionGroup], user) -> str:
        """Reports that do not exist yet are started together and their sections written together
        (`reports_start`, `bulk_write`: a national file is a few queries, not a few per municipality);
        existing reports are saved one by one through `section_save`, like the form. Staff importing
        are recorded as acting for the organisations (代理入力): a new report's creation event, a
        saved section's proxy edit."""
        section = self.section
        changed = [g for g in plan if g.changed]
        new = [g for g in changed if g.report is None]
        with self._rejecting(new[0] if new else None):
            reports = services.reports_start(
                pairs=[(g.municipality, g.period) for g in new],
                user=user,
                not_carried=frozenset({self.section_key}),
            )
            section.writer.write_new(
                [(report, g.data) for g, report in zip(new, reports, strict=True)], user=user
            )
        for group in changed:
            if group.report is None:
                continue
            current = section.instance_for(group.report)
            with self._rejecting(group):
                services.section_save(
                    report=group.report,
                    section=section,
                    data=group.data,
                    expected_version=current.version if current else 0,
                    user=user,
                )
        return self.describe(plan)

    @staticmethod
    @contextmanager
    def _rejecting(group: SectionGroup | None):
        """A refusal from the services, or a rule the row checks missed: nothing is written."""
        row = group.first_row if group else None
        try:
            yield
        except services.ReportError as error:
            raise ImportRejected([RowError(row, "", error.message)]) from None
        except ValidationError as error:
            raise ImportRejected([RowError(row, "", m) for m in error.messages]) from None
        except IntegrityError:
            logger.exception("import rejected by a database constraint")
            raise ImportRejected(
                [RowError(row, "", "同じ報告が同時に更新されました。もう一度取り込んでください。")]
            ) from None
