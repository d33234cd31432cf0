"""The national definitions (総務省, 「各種データおよび数値の定義について」), and the materials' summary
derived from them. Pure functions over aggregated rows: no queries here.

Per organisation × operation, over the 40 steps of the national procedure:
    完了率 = (完了済み + 対象外) / 40,  作業中率 = 作業中 / 40,  未着手率 = 未着手 / 40.
A step with no stored status is 未着手. An organisation's and a prefecture's figures sum the cells
(operations × 40) of the operations they report (20 for a city or town, 2 for a prefecture).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from standardization.models import Status

COMPLETE = (Status.DONE, Status.NOT_APPLICABLE)


def formula(n_steps: int) -> str:
    """The formula shown beside every official figure."""
    return (
        f"完了率 =（完了済み＋対象外）÷ {n_steps}、作業中率 = 作業中 ÷ {n_steps}、未着手率 = 未着手 ÷ {n_steps}"
        "（業務ごと。団体・都道府県は対象業務のステップ数の合計で割ります。未入力のステップは未着手）"
    )


@dataclass(frozen=True)
class Rates:
    """Counts of cells (operation × step) by status; `cells` is the denominator."""

    done: int = 0
    not_applicable: int = 0
    in_progress: int = 0
    cells: int = 0

    @property
    def not_started(self) -> int:
        return self.cells - self.done - self.not_applicable - self.in_progress

    @staticmethod
    def _percent(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def completion(self) -> float | None:
        """完了率 in percent (None without any cell)."""
        return self._percent(self.done + self.not_applicable, self.cells)

    @property
    def in_progress_rate(self) -> float | None:
        return self._percent(self.in_progress, self.cells)

    @property
    def not_started_rate(self) -> float | None:
        return self._percent(self.not_started, self.cells)

    def __add__(self, other: Rates) -> Rates:
        return Rates(
            self.done + other.done,
            self.not_applicable + other.not_applicable,
            self.in_progress + other.in_progress,
            self.cells + other.cells,
        )


def _counted(counts: dict[str, int], cells: int) -> Rates:
    return Rates(
        done=counts.get(Status.DONE, 0),
        not_applicable=counts.get(Status.NOT_APPLICABLE, 0),
        in_progress=counts.get(Status.IN_PROGRESS, 0),
        cells=cells,
    )


@dataclass
class OfficialFigures:
    """The official figures of some organisations: per organisation × operation, per organisation,
    overall, per operation and per step."""

    n_steps: int
    by_operation_of: dict[tuple[int, int], Rates]  # (organisation, operation)
    by_organisation: dict[int, Rates]
    by_operation: dict[int, Rates]
    by_step: dict[int, Rates]

    @property
    def total(self) -> Rates:
        return sum(self.by_organisation.values(), Rates())


def official_figures(
    cells: Iterable[dict],
    steps: Iterable[dict],
    operations_of: dict[int, list[int]],
    n_steps: int,
) -> OfficialFigures:
    """`cells`: rows {organisation, operation_id, status, n} and `steps`: rows {step_id, status, n},
    stored cells counted in SQL; `operations_of`: the operations each organisation with detail
    reports. Organisations not in `operations_of` (no detail) get no figure."""
    per_cell: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in cells:
        if row["operation_id"] in operations_of.get(row["organisation"], ()):
            per_cell[(row["organisation"], row["operation_id"])][row["status"]] += row["n"]
    per_step: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in steps:
        per_step[row["step_id"]][row["status"]] += row["n"]
    by_operation_of = {
        (org, op): _counted(per_cell.get((org, op), {}), n_steps)
        for org, ops in operations_of.items()
        for op in ops
    }
    by_organisation: dict[int, Rates] = defaultdict(Rates)
    by_operation: dict[int, Rates] = defaultdict(Rates)
    for (org, op), rates in by_operation_of.items():
        by_organisation[org] += rates
        by_operation[op] += rates
    pairs = sum(len(ops) for ops in operations_of.values())
    by_step = {step: _counted(counts, pairs) for step, counts in per_step.items()}
    return OfficialFigures(n_steps, by_operation_of, dict(by_organisation), dict(by_operation), by_step)


def derive_summary(statuses: Iterable[dict], n_operations: int) -> dict[int, dict]:
    """The materials' summary of one organisation's detail, per step: N = operations 完了済み or 対象外,
    「(一部)」 when some operation is 作業中 (when none is complete yet, N counts the operations in
    progress, all 「(一部)」: the materials' 「N業務について…(一部)」 = N operations partly done).
    The step's planned date is the latest planned one; its actual date the latest actual one once
    all `n_operations` operations the organisation reports are complete. Steps with nothing begun are left out.

    `statuses`: dicts with step_id, status, planned_date, actual_date."""
    by_step: dict[int, list[dict]] = defaultdict(list)
    for row in statuses:
        by_step[row["step_id"]].append(row)
    summary = {}
    for step_id, rows in by_step.items():
        complete = sum(1 for r in rows if r["status"] in COMPLETE)
        working = sum(1 for r in rows if r["status"] == Status.IN_PROGRESS)
        planned = max((r["planned_date"] for r in rows if r.get("planned_date")), default=None)
        actuals = [r["actual_date"] for r in rows if r.get("actual_date")]
        if not (complete or working or planned):
            continue
        everything = complete == n_operations
        summary[step_id] = {
            "step_id": step_id,
            "operations_done": complete or working,
            "partial": bool(working),
            "planned_date": planned,
            "actual_date": max(actuals) if everything and actuals else None,
        }
    return summary
