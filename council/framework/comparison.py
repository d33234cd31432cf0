"""What changed in a report, section by section, against the organisation's last approved report.

Every section reads as labelled values (`SummaryRow`): its own fields, the items ticked in its
many-to-many fields, and one row per field of each child row (a step, a scenario, a count). Rows of
two reports are matched by `key`, so a reviewer sees per section what is new, what was removed and
what changed, old → new.

The values come from `ReportSection.summaries()` (one call for many sections of a model, a few
queries whatever their number). Its default, `default_summaries`, reads the model: every app's
section gets a meaningful comparison without writing any code; an app formats one field its own way
with `ReportSection.summary_value`, leaves out bookkeeping of its child rows with `SUMMARY_EXCLUDE`,
or overrides `summaries` for a shape the default cannot read.

How a child row is named: by the fields of the unique constraint that ties it to its section (a
step row by its step; an analog count by its type and status), else by its foreign keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from council import wareki

if TYPE_CHECKING:
    from council.framework.registry import SectionSpec
    from council.framework.sections import ReportSection
    from council.models import StatusReport

YES, NO, TICKED = "はい", "いいえ", "あり"


@dataclass(frozen=True)
class SummaryRow:
    """One labelled value of a section, as a reader compares it. `key` is stable across reports
    (field names and primary keys of master data); `value` is display text, "" for nothing."""

    key: str
    label: str
    value: str
    group: str = ""  # what the row belongs to within the section (e.g. 「ステップの進捗」)


@dataclass(frozen=True)
class Change:
    """One row of a comparison: the value in the previous report and in this one."""

    group: str
    label: str
    old: str
    new: str

    @property
    def kind(self) -> str:
        if self.old == self.new:
            return "same"
        if not self.old:
            return "added"
        if not self.new:
            return "removed"
        return "changed"

    @property
    def kind_label(self) -> str:
        return {"same": "変更なし", "added": "追加", "removed": "削除", "changed": "変更"}[self.kind]


@dataclass
class SectionComparison:
    """One section of a report next to the same section of the previous approved report."""

    spec: SectionSpec
    old: ReportSection | None
    new: ReportSection | None
    rows: list[Change] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return [row for row in self.rows if row.kind != "same"]

    @property
    def unchanged(self) -> list[Change]:
        return [row for row in self.rows if row.kind == "same"]

    @property
    def is_unchanged(self) -> bool:
        """Both reports have the section, with the same content."""
        return self.old is not None and self.new is not None and not self.changes

    @property
    def summary(self) -> str:
        """The comparison in a few words, for a list of sections."""
        if self.new is None:
            return "未入力" if self.old is None else "今回は未入力（前回は入力あり）"
        if self.old is None:
            return "前回の報告になし（今回新しく入力）"
        changes = self.changes
        return f"{len(changes)}か所を変更" if changes else "変更なし"


# --- reading a section ---------------------------------------------------------------------------


def display(value: Any, model_field: models.Field | None = None, *, child: bool = False) -> str:
    """A stored value as the reader sees it. In child rows a falsy value reads as nothing: a step
    with 0 operations and no dates is a step not reported (the writers do not store such rows)."""
    if value is None or value == "":
        return ""
    if child and not value:
        return ""
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        return wareki.wareki_datetime(value)
    if isinstance(value, date):
        return wareki.wareki_date(value, weekday=False)
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _child_relations(model: type[ReportSection]) -> list[models.ManyToOneRel]:
    """The section's child rows: models whose rows belong to one section (deleted with it)."""
    return [
        rel
        for rel in model._meta.related_objects
        if isinstance(rel, models.ManyToOneRel)
        and rel.one_to_many
        and rel.on_delete is models.CASCADE
        and not rel.related_model._meta.auto_created
    ]


def _identity_fields(child: type[models.Model], parent_field: str) -> list[models.Field]:
    """The fields that name a child row within its section."""
    for constraint in child._meta.constraints:
        names = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and parent_field in names:
            fields = [child._meta.get_field(name) for name in names if name != parent_field]
            return [f for f in fields if isinstance(f, models.Field)]
    return [
        f for f in child._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.name != parent_field
    ]


def _item_label(obj: models.Model, fields: list[models.Field]) -> tuple[str, str]:
    """(key, label) of a child row from its identity fields."""
    keys, labels = [], []
    for f in fields:
        if isinstance(f, models.ForeignKey):
            keys.append(str(getattr(obj, f.attname)))
            labels.append(str(getattr(obj, f.name)))
        else:
            value = getattr(obj, f.attname)
            keys.append(str(value))
            labels.append(display(value, f))
    return ":".join(keys), "・".join(labels)


def _ticked(objects: Sequence[models.Model]) -> str:
    return "、".join(str(o) for o in objects)


def default_summaries(
    model: type[ReportSection], sections: Sequence[ReportSection]
) -> list[list[SummaryRow]]:
    """The rows of each of `sections` (all of `model`), read from the model: its content fields, the
    items of its many-to-many fields, the fields of its child rows (and their many-to-many fields,
    joined). One query per many-to-many field and per child relation, whatever the number of
    sections or rows."""
    result: dict[int, list[SummaryRow]] = {s.pk: [] for s in sections}
    ids = [s.pk for s in sections]
    excluded = set(model.SUMMARY_EXCLUDE)
    for section in sections:
        for name in section.content_fields():
            if name in excluded:
                continue
            f = model._meta.get_field(name)
            assert isinstance(f, models.Field)  # content fields are concrete
            value = getattr(section, f.attname)
            shown = section.summary_value(name, value)
            result[section.pk].append(
                SummaryRow(
                    key=name,
                    label=str(f.verbose_name),
                    value=display(value, f) if shown is None else shown,
                )
            )
    for m2m in model._meta.many_to_many:
        if m2m.name in excluded:
            continue
        through = m2m.remote_field.through
        assert through is not None  # Django fills in the automatic through model
        source = m2m.m2m_field_name()
        target = m2m.m2m_reverse_field_name()
        related = m2m.related_model
        rows = (
            through._default_manager.filter(**{f"{source}__in": ids})
            .select_related(target)
            .order_by(*[f"{target}__{o}" for o in (related._meta.ordering or ["pk"])])
        )
        for row in rows:
            item = getattr(row, target)
            result[getattr(row, f"{source}_id")].append(
                SummaryRow(
                    key=f"{m2m.name}:{item.pk}",
                    label=str(item),
                    value=TICKED,
                    group=str(m2m.verbose_name),
                )
            )
    for rel in _child_relations(model):
        child = rel.related_model
        parent = rel.field.name
        identity = _identity_fields(child, parent)
        values = [
            f
            for f in child._meta.concrete_fields
            if not f.primary_key
            and f.name != parent
            and f not in identity
            and f"{rel.get_accessor_name()}.{f.name}" not in excluded
        ]
        child_m2m = [
            m for m in child._meta.many_to_many if f"{rel.get_accessor_name()}.{m.name}" not in excluded
        ]
        group = str(child._meta.verbose_name)
        rows = (
            child._default_manager.filter(**{f"{parent}__in": ids})
            .select_related(*[f.name for f in identity + values if isinstance(f, models.ForeignKey)])
            .prefetch_related(*[m.name for m in child_m2m])
            .order_by(*(child._meta.ordering or []), "pk")
        )
        for row in rows:
            item_key, item_label = _item_label(row, identity)
            out = result[getattr(row, rel.field.attname)]
            for f in values:
                value = display(getattr(row, f.attname), f, child=True)
                if isinstance(f, models.ForeignKey) and value:
                    value = str(getattr(row, f.name))
                out.append(
                    SummaryRow(
                        key=f"{rel.get_accessor_name()}:{item_key}:{f.name}",
                        label=f"{item_label}: {f.verbose_name}",
                        value=value,
                        group=group,
                    )
                )
            for m in child_m2m:
                out.append(
                    SummaryRow(
                        key=f"{rel.get_accessor_name()}:{item_key}:{m.name}",
                        label=f"{item_label}: {m.verbose_name}",
                        value=_ticked(getattr(row, m.name).all()),
                        group=group,
                    )
                )
    return [result[s.pk] for s in sections]


# --- comparing ---------------------------------------------------------------------------------


def compare(old: Sequence[SummaryRow], new: Sequence[SummaryRow]) -> list[Change]:
    """Rows matched by key, in the order of `new`, with rows only `old` has after the row they
    followed there. Rows empty on both sides are left out."""
    old_by_key = {r.key: r for r in old}
    new_by_key = {r.key: r for r in new}
    order = [r.key for r in new]
    placed = set(order)
    for i, row in enumerate(old):
        if row.key in placed:
            continue
        before = next((old[j].key for j in range(i - 1, -1, -1) if old[j].key in placed), None)
        order.insert(order.index(before) + 1 if before else 0, row.key)
        placed.add(row.key)
    changes = []
    for key in order:
        o, n = old_by_key.get(key), new_by_key.get(key)
        label = (n or o).label  # type: ignore[union-attr]
        group = (n or o).group  # type: ignore[union-attr]
        old_value, new_value = (o.value if o else ""), (n.value if n else "")
        if old_value or new_value:
            changes.append(Change(group=group, label=label, old=old_value, new=new_value))
    return changes


def compare_reports(report: StatusReport, previous: StatusReport | None) -> list[SectionComparison]:
    """Every section of `report` next to the same section of `previous` (None: nothing to compare
    with, every value is new). A few queries per section type, whatever the size of the sections."""
    from council.framework import registry

    reports = [r.pk for r in (report, previous) if r is not None]
    comparisons = []
    for spec in registry.sections.for_organisation(report.municipality):
        model = spec.model
        found = {
            s.report_id: s
            for s in model._default_manager.filter(report_id__in=reports).select_related(
                "updated_by__portal_profile__organisation"
            )
        }
        new = found.get(report.pk)
        old = found.get(previous.pk) if previous is not None else None
        present = [s for s in (old, new) if s is not None]
        rows = dict(zip([s.pk for s in present], model.summaries(present), strict=True)) if present else {}
        comparisons.append(
            SectionComparison(
                spec=spec,
                old=old,
                new=new,
                rows=compare(rows.get(old.pk, []) if old else [], rows.get(new.pk, []) if new else []),
            )
        )
    return comparisons
