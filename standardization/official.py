"""View data of the national definitions for the dashboard and the 団体カルテ: the official rates by
organisation, operation and step, the comparison with the published reference figures, the targets
and the risks per operation (with the 移行困難 overrides). A fixed number of queries whatever the
number of organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from council.framework.targets import progress_against
from council.models import Municipality, ReportingPeriod
from council.wareki import wareki_date
from standardization import selectors
from standardization.models import ReferenceFigure, Status
from standardization.rates import (
    COMPLETE,
    OfficialFigures,
    Rates,
    formula,
    official_figures,
)

NATION = ReferenceFigure.NATION
SUMMARY_ONLY = "資料の集計のみ（業務ごとの内訳なし）"
DERIVED = "業務ごとの状況から集計"


def figures_for(
    period: ReportingPeriod, organisations, master: selectors.Master
) -> tuple[OfficialFigures, dict[int, tuple[str, str]]]:
    """The official figures of `organisations` with detail, and their {id: (name, kind)}."""
    cells = selectors.status_counts(period=period, organisations=organisations)
    kinds = {row["organisation"]: (row["name"], row["kind"]) for row in cells}
    operations_of = {
        org: [op.pk for op in master.operations_of(kind)] for org, (_name, kind) in kinds.items()
    }
    steps = selectors.step_status_counts(period=period, organisations=organisations)
    return official_figures(cells, steps, operations_of, master.n_steps), kinds


def reference_codes(organisations: list[tuple[int, str]]) -> set[str]:
    """全国, the prefectures' two-digit codes and the organisations' own codes."""
    return {NATION} | {code[:2] for _, code in organisations} | {code for _, code in organisations}


def _reference(refs, code: str, operation_id: int | None) -> float | None:
    figure = refs.get((code, operation_id))
    return float(figure.completion_rate) if figure else None


def target_rows(
    targets, as_of: date, overall: float | None, by_operation: dict[str, float | None]
) -> list[dict]:
    """Each target with the figure it is measured by (overall, or the named operation's 完了率)."""
    rows = []
    for target in targets:
        value = by_operation.get(target.subject) if target.subject else overall
        rows.append(
            {
                "target": target,
                "subject": target.subject or "全業務",
                **progress_against(float(target.value), target.due, as_of, value),
            }
        )
    return rows


@dataclass
class OperationRisk:
    organisation: str
    slug: str
    operation: str
    step: str
    label: str
    difficult: bool
    days: int


def operation_risks(
    *,
    period: ReportingPeriod,
    organisations,
    master: selectors.Master,
    figures: OfficialFigures,
    names: dict[int, tuple[str, str]],
    slugs: dict[int, str],
    targets,
) -> list[OperationRisk]:
    """Per organisation × operation: steps planned after the operation's own deadline (a 移行困難
    override moves it), steps past their planned date and not complete, and targets whose date has
    passed (and falls within the operation's deadline) while its 完了率 is below them."""
    ops = {op.pk: op for op in master.operations}
    steps = {s.pk: s for s in master.steps}
    overrides = selectors.operation_deadlines(organisations=organisations)
    earliest = min((op.default_deadline for op in master.operations), default=date.max)
    risks = []

    def deadline_of(org: int, op: int):
        override = overrides.get((org, op))
        return (override.deadline, override.is_difficult) if override else (ops[op].default_deadline, False)

    for row in selectors.dated_statuses(
        period=period, organisations=organisations, earliest_deadline=earliest
    ):
        org, op = row["organisation"], row["operation_id"]
        if org not in names or op not in ops:
            continue
        deadline, difficult = deadline_of(org, op)
        planned = row["planned_date"]
        common = (names[org][0], slugs.get(org, ""), ops[op].name, steps[row["step_id"]].name)
        if planned > deadline:
            days = (planned - deadline).days
            label = f"予定日が移行期限（{wareki_date(deadline, weekday=False)}{'・移行困難' if difficult else ''}）より{days}日後"
            risks.append(OperationRisk(*common, label, difficult, days))
        if planned < period.as_of and row["status"] not in COMPLETE:
            days = (period.as_of - planned).days
            risks.append(
                OperationRisk(
                    *common, f"予定日を{days}日超過（{Status(row['status']).label}）", difficult, days
                )
            )
    for (org, op), rates in figures.by_operation_of.items():
        deadline, difficult = deadline_of(org, op)
        for target in targets:
            if target.subject not in ("", ops[op].name) or target.due > period.as_of or target.due > deadline:
                continue
            if rates.completion is not None and rates.completion < float(target.value):
                label = f"目標「{target.title}」（{wareki_date(target.due, weekday=False)}まで{target.value}%）に未達: 完了率 {rates.completion}%"
                risks.append(
                    OperationRisk(
                        names[org][0],
                        slugs.get(org, ""),
                        ops[op].name,
                        "—",
                        label,
                        difficult,
                        (period.as_of - target.due).days,
                    )
                )
    return sorted(risks, key=lambda r: (-r.days, r.organisation, r.operation))


def dashboard_official(period: ReportingPeriod, visible, master: selectors.Master, reported) -> dict:
    """The official figures of the visible municipalities and their prefecture, compared with the
    reference figures, with the targets and the risks per operation."""
    organisations = selectors.with_prefectures(visible)
    figures, names = figures_for(period, organisations, master)
    slugs = {m_id: slug for m_id, _code, _name, slug in reported}
    codes = {m_id: code for m_id, code, _name, _slug in reported}
    prefecture_ids = [org for org, (_name, kind) in names.items() if kind == Municipality.Kind.PREFECTURE]
    municipal = {org: r for org, r in figures.by_organisation.items() if org not in prefecture_ids}
    average = sum(municipal.values(), Rates())
    pref_code = next(iter(codes.values()), "")[:2]
    refs = selectors.references(as_of=period.as_of, codes=reference_codes(list(codes.items())))
    targets = selectors.targets()
    by_operation = [
        {
            "operation": op,
            "rates": figures.by_operation.get(op.pk),
            "prefecture_ref": _reference(refs, pref_code, op.pk),
            "nation_ref": _reference(refs, NATION, op.pk),
        }
        for op in master.operations
    ]
    return {
        "official": {
            "formula": formula(master.n_steps),
            "n_steps": master.n_steps,
            "has_detail": bool(names),
            "organisations": [
                {
                    "name": name,
                    "slug": slugs.get(m_id, ""),
                    "rates": figures.by_organisation.get(m_id),
                    "reference": _reference(refs, codes.get(m_id, ""), None),
                }
                for m_id, _code, name, _slug in reported
            ],
            "prefectures": [
                {
                    "name": names[p][0],
                    "rates": figures.by_organisation[p],
                    "operations": [
                        (op, figures.by_operation_of.get((p, op.pk)))
                        for op in master.operations_of(Municipality.Kind.PREFECTURE)
                    ],
                }
                for p in prefecture_ids
            ],
            "average": average if average.cells else None,
            "prefecture_ref": _reference(refs, pref_code, None),
            "nation_ref": _reference(refs, NATION, None),
            "by_operation": by_operation,
            "by_step": [
                (
                    step,
                    figures.by_step.get(
                        step.pk, Rates(cells=sum(len(master.operations_of(k)) for _, k in names.values()))
                    ),
                )
                for step in master.national_steps
            ]
            if names
            else [],
            "targets": target_rows(
                targets,
                period.as_of,
                average.completion if average.cells else None,
                {
                    row["operation"].name: row["rates"].completion if row["rates"] else None
                    for row in by_operation
                },
            ),
            "risks": operation_risks(
                period=period,
                organisations=organisations,
                master=master,
                figures=figures,
                names=names,
                slugs=slugs,
                targets=targets,
            ),
            "detailed": set(names),
        }
    }


def karte_official(period: ReportingPeriod, organisation: Municipality, master: selectors.Master) -> dict:
    """One organisation's official figures per operation, its detail by operation × step, its
    reference figure and its targets."""
    rows = selectors.organisation_statuses(period=period, organisation=organisation)
    operations = master.operations_of(organisation.kind)
    cells = {}
    for row in rows:
        cells.setdefault(row.operation_id, {})[row.step_id] = row
    per_operation = []
    total = Rates()
    for op in operations:
        counts = {"done": 0, "not_applicable": 0, "in_progress": 0}
        for row in cells.get(op.pk, {}).values():
            if row.status in counts:
                counts[row.status] += 1
        rates = Rates(cells=master.n_steps, **counts)
        total += rates
        per_operation.append({"operation": op, "rates": rates, "cells": cells.get(op.pk, {})})
    refs = selectors.references(
        as_of=period.as_of, codes=reference_codes([(organisation.pk, organisation.code)])
    )
    targets = selectors.targets()
    has_detail = bool(rows)
    return {
        "official": {
            "formula": formula(master.n_steps),
            "has_detail": has_detail,
            "total": total if has_detail else None,
            "per_operation": per_operation if has_detail else [],
            "steps": master.national_steps,
            "reference": _reference(refs, organisation.code, None),
            "prefecture_ref": _reference(refs, organisation.code[:2], None),
            "nation_ref": _reference(refs, NATION, None),
            "targets": target_rows(
                targets,
                period.as_of,
                total.completion if has_detail else None,
                {r["operation"].name: r["rates"].completion for r in per_operation} if has_detail else {},
            ),
        }
    }
