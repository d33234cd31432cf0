"""Inventory import (from the 例規 system's spreadsheet), by staff or by a liaison for their own
organisation: all or nothing, and importing the same file again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from analog_review.models import Provision, RegulationType, ReviewStatus, RuleLevel
from council.framework.imports import (
    CellField,
    DateCell,
    Importer,
    OrganisationLookup,
    RowError,
    RowErrors,
    RowForm,
    TextCell,
    cell_text,
)
from council.text import quoted

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


class ScopeCell(CellField):
    """該当 / 非該当, or blank (未判断)."""

    def read(self, value) -> bool | None:
        text = cell_text(value)
        if text not in SCOPE_WORDS:
            raise ValidationError(
                f"該非は 該当・非該当・空欄（未判断）のいずれかにしてください（「{quoted(text)}」）。"
            )
        return SCOPE_WORDS[text]


class ProvisionRowForm(RowForm):
    """One provision of the inventory; the rules between the cells are the model's (`Provision.clean`
    and its fields), checked here without the organisation, which the importer resolves."""

    reference = TextCell("識別番号")
    rule_title = TextCell("例規名")
    title = TextCell("規定")
    rule_level = TextCell("例規の種類", required=False)
    regulation_type = TextCell("類型", required=False)
    in_scope = ScopeCell("該非", required=False)
    direction = TextCell("見直しの方向性", required=False, multiline=True)
    status = TextCell("状況", required=False)
    target_date = DateCell("目標時期", required=False)
    note = TextCell("備考", required=False, multiline=True)

    def __init__(self, cells, *, types: dict[str, RegulationType]):
        super().__init__(cells)
        self.types = types

    def clean_rule_level(self) -> str:
        levels = {label: value for value, label in RuleLevel.choices}
        text = self.cleaned_data["rule_level"]
        if text not in levels:
            raise ValidationError(
                f"例規の種類「{quoted(text)}」は {'、'.join(levels)} のいずれかにしてください。"
            )
        return levels[text]

    def clean_regulation_type(self) -> RegulationType:
        text = self.cleaned_data["regulation_type"]
        if text not in self.types:
            raise ValidationError(f"類型「{quoted(text)}」は登録されていません（{'、'.join(self.types)}）。")
        return self.types[text]

    def clean_status(self) -> str:
        statuses = {label: value for value, label in ReviewStatus.choices}
        text = self.cleaned_data["status"] or ReviewStatus.IDENTIFIED.label
        if text not in statuses:
            raise ValidationError(
                f"状況「{quoted(text)}」は {'、'.join(statuses)} のいずれかにしてください。"
            )
        return statuses[text]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:  # the importer resolves the organisation and checks duplicates across the rows
                Provision(**cleaned).full_clean(
                    exclude=["organisation", "regulation_type"],  # both from look-ups: no query a row
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


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
    row_form = ProvisionRowForm

    def get_row_form_kwargs(self):
        return {"types": {t.name: t for t in RegulationType.objects.all()}}

    def parse(self, rows, user):
        errors = RowErrors()
        cleaner = self.row_cleaner()
        organisations = OrganisationLookup(user, outside_hint="（自団体の台帳のみ取り込めます）")
        planned, seen = [], {}
        for row in rows:
            before = len(errors)

            def err(column, message, row=row):
                errors.append(RowError(row.number, column, message))

            code = cell_text(row.values.get("団体コード"))
            organisation = organisations.resolve(code, "", err)
            reference = cell_text(row.values.get("識別番号"))
            key = (code, reference)
            if reference and key in seen:
                err("識別番号", f"同じ団体・識別番号の規定が {seen[key]}行目にもあります。")
            seen.setdefault(key, row.number)
            values, row_errors = cleaner.clean(row)
            errors.extend(row_errors)
            if len(errors) > before:
                continue
            planned.append(Provision(organisation=organisation, **values))
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
