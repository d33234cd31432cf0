"""Pure reshaping of the aggregated step rows: the matrix, lines in the materials' wording, progress,
what changed since the previous period, and deadline risks. No queries here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from standardization.models import PROGRAMME_START
from standardization.notation import format_line


def by_municipality(rows: list[dict], period_id: int) -> dict[int, dict[int, dict]]:
    """{municipality_id: {step_id: row}} for one period."""
    result: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in rows:
        if row["progress__report__period_id"] == period_id:
            result[row["progress__report__municipality_id"]][row["step_id"]] = row
    return result


def cell_state(row: dict | None) -> str:
    if not row or not row["operations_done"]:
        return "none"
    return "partial" if row["partial"] else "done"


def cell_text(row: dict | None, total: int) -> str:
    """`20`, `18(一部)`, or empty: how a cell of the matrix reads."""
    if not row or not row["operations_done"]:
        return ""
    count = "全" if row["operations_done"] == total else str(row["operations_done"])
    return f"{count}{'(一部)' if row['partial'] else ''}"


def material_lines(steps_of_m: dict[int, dict], steps, total: int) -> list[str]:
    """The 資料1 lines of one municipality, in step order."""
    lines = []
    for step in steps:
        row = steps_of_m.get(step.id)
        if row and row["operations_done"]:
            lines.append(format_line(row["operations_done"], step.name, row["partial"], total))
    return lines


def completion(steps_of_m: dict[int, dict], n_steps: int, total: int) -> float:
    """Share of (steps × operations) completed, a partly done step counting half; in percent."""
    if not (n_steps and total):
        return 0.0
    done = sum(r["operations_done"] * (0.5 if r["partial"] else 1) for r in steps_of_m.values())
    return round(100 * done / (n_steps * total), 1)


def elapsed_share(as_of: date, deadline: date) -> float:
    """How much of the time from the law's entry into force to the deadline had passed at `as_of`."""
    span = (deadline - PROGRAMME_START).days
    return round(100 * min(max((as_of - PROGRAMME_START).days / span, 0), 1), 1) if span > 0 else 100.0


@dataclass
class Change:
    municipality: str
    step: str
    before: str
    after: str


def changes(
    current: dict[int, dict[int, dict]],
    previous: dict[int, dict[int, dict]],
    names: dict[int, str],
    steps,
    total: int,
):
    """Every step whose count or 一部 changed between two periods, for municipalities in both."""
    result = []
    for m_id, name in names.items():
        if m_id not in previous:
            continue
        for step in steps:
            before, after = previous[m_id].get(step.pk), current.get(m_id, {}).get(step.pk)
            if cell_text(before, total) != cell_text(after, total):
                result.append(
                    Change(name, step.name, cell_text(before, total) or "—", cell_text(after, total) or "—")
                )
    return result


@dataclass
class Risk:
    municipality: str
    slug: str
    step: str
    kind: str  # "after_deadline" or "overdue"
    planned: date
    deadline: date
    days: int

    @property
    def label(self) -> str:
        if self.kind == "after_deadline":
            return f"完了予定が移行期限（{self.deadline:%Y-%m-%d}）より{self.days}日後"
        return f"完了予定日を{self.days}日超過（未完了）"


def risks(
    current: dict[int, dict[int, dict]],
    municipalities,
    deadlines: dict[int, date],
    steps,
    total: int,
    as_of: date,
):
    """Planned dates after the municipality's deadline, and steps past their planned date that are
    not complete (no actual date, or not all operations, or only partly)."""
    result = []
    for m_id, _code, name, slug in municipalities:
        for step in steps:
            row = current.get(m_id, {}).get(step.pk)
            if not row or not row["planned_date"]:
                continue
            planned, deadline = row["planned_date"], deadlines[m_id]
            if planned > deadline:
                result.append(
                    Risk(
                        name, slug, step.name, "after_deadline", planned, deadline, (planned - deadline).days
                    )
                )
            complete = row["actual_date"] and row["operations_done"] == total and not row["partial"]
            if planned < as_of and not complete:
                result.append(
                    Risk(name, slug, step.name, "overdue", planned, deadline, (as_of - planned).days)
                )
    return sorted(result, key=lambda r: (r.kind != "after_deadline", -r.days))
