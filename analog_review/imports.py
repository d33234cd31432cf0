"""Inventory import (from the 例規 system's spreadsheet), by staff or by a liaison for their own
organisation: all or nothing, and importing the same file again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from analog_review.models import Provision, RegulationType, ReviewStatus, RuleLevel
from council.framework.imports import Importer, OrganisationLookup, RowError, cell_date, cell_text

HEADERS = ["団体コード", "識別番号", "例規名", "規定", "例規の種類", "類型"]
OPTIONAL = ["該非", "見直しの方向性", "状況", "目標時期", "備考"]
FIELDS = (
    "rule_title",
    "title",
    "rule_level",
    "regulation_type_id",
    "in_scope",
    "direction",
    "status",
    "target_date",
    "note",
)
SCOPE_WORDS = {"": None, "未判断": None, "該当": True, "○": True, "非該当": False, "×": False}


@dataclass
class InventoryPlan:
    rows: list[Provision] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    same: int = 0


class InventoryImporter(Importer):
    title = "アナログ規制の台帳の取り込み"
    headers = HEADERS
    sheet_name = "台帳"

    def parse(self, rows, user):
        errors: list[RowError] = []
        organisations = OrganisationLookup(user, outside_hint="（自団体の台帳のみ取り込めます）")
        types = {t.name: t for t in RegulationType.objects.all()}
        levels = {label: value for value, label in RuleLevel.choices}
        statuses = {label: value for value, label in ReviewStatus.choices}
        planned, seen = [], {}
        for row in rows:
            v = row.values
            before = len(errors)

            def err(column, message, row=row):
                errors.append(RowError(row.number, column, message))

            code = cell_text(v.get("団体コード"))
            organisation = organisations.resolve(code, "", err)
            reference = cell_text(v.get("識別番号"))
            if not reference:
                err("識別番号", "値がありません。")
            key = (code, reference)
            if reference and key in seen:
                err("識別番号", f"同じ団体・識別番号の規定が {seen[key]}行目にもあります。")
            seen.setdefault(key, row.number)
            for column in ("例規名", "規定"):
                if not cell_text(v.get(column)):
                    err(column, "値がありません。")
            level = levels.get(cell_text(v.get("例規の種類")))
            if level is None:
                err(
                    "例規の種類",
                    f"例規の種類「{cell_text(v.get('例規の種類'))}」は {'、'.join(levels)} のいずれかにしてください。",
                )
            rtype = types.get(cell_text(v.get("類型")))
            if rtype is None:
                err("類型", f"類型「{cell_text(v.get('類型'))}」は登録されていません（{'、'.join(types)}）。")
            scope_text = cell_text(v.get("該非"))
            if scope_text not in SCOPE_WORDS:
                err(
                    "該非",
                    f"該非は 該当・非該当・空欄（未判断）のいずれかにしてください（「{scope_text}」）。",
                )
            status_text = cell_text(v.get("状況")) or ReviewStatus.IDENTIFIED.label
            status = statuses.get(status_text)
            if status is None:
                err("状況", f"状況「{status_text}」は {'、'.join(statuses)} のいずれかにしてください。")
            target, message = cell_date(v.get("目標時期"))
            if message:
                err("目標時期", message)
            if len(errors) > before:
                continue
            provision = Provision(
                organisation=organisation,
                reference=reference,
                rule_title=cell_text(v.get("例規名")),
                title=cell_text(v.get("規定")),
                rule_level=level,
                regulation_type=rtype,
                in_scope=SCOPE_WORDS[scope_text],
                direction=cell_text(v.get("見直しの方向性")),
                status=status,
                target_date=target,
                note=cell_text(v.get("備考")),
            )
            try:
                provision.full_clean(
                    validate_unique=False, validate_constraints=False
                )  # duplicates: checked above
            except ValidationError as error:
                labels = {"in_scope": "該非", "status": "状況", "direction": "見直しの方向性"}
                for name, messages in error.message_dict.items():
                    for message in messages:
                        err(labels.get(name, name), message)
                continue
            planned.append(provision)
        if errors:
            return None, errors
        plan = InventoryPlan(rows=planned)
        self._compare(plan)
        return plan, errors

    @staticmethod
    def _compare(plan: InventoryPlan) -> None:
        organisations = {p.organisation_id for p in plan.rows}
        stored = {
            (p.organisation_id, p.reference): p
            for p in Provision.objects.filter(organisation_id__in=organisations)
        }
        for provision in plan.rows:
            existing = stored.get((provision.organisation_id, provision.reference))
            if existing is None:
                plan.new += 1
                continue
            provision.pk = existing.pk
            if all(getattr(existing, f) == getattr(provision, f) for f in FIELDS):
                provision.unchanged = True
                plan.same += 1
            else:
                plan.changed += 1

    def describe(self, plan: InventoryPlan) -> str:
        return f"新規 {plan.new}件、更新 {plan.changed}件、変更なし {plan.same}件。"

    def apply(self, plan: InventoryPlan, user) -> str:
        for provision in plan.rows:
            if getattr(provision, "unchanged", False):
                continue
            provision._history_user = user
            provision.save()
        return self.describe(plan)
