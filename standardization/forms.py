from django import forms
from django.utils import timezone

from council.forms import expected_version_field
from standardization.models import Operation, Step, step_row_errors

#: the form's field of each step-row field (s<step id>_<suffix>)
FIELD_SUFFIXES = {
    "operations_done": "count",
    "partial": "partial",
    "planned_date": "planned",
    "actual_date": "actual",
}


class StandardizationForm(forms.Form):
    """Per step: how many of the operations are done (or tick them one by one), 一部, and the planned
    and actual completion dates. Steps may be filled in any order."""

    expected_version = expected_version_field()
    note = forms.CharField(
        label="補足（課題・遅れの理由など）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, data=None, *, instance=None, initial=None, report=None, **kwargs):
        super().__init__(data, initial=initial, **kwargs)
        self.instance = instance
        self.report = report
        self.has_detail = bool(instance is not None and instance.pk and instance.statuses.exists())
        self.steps = list(Step.objects.select_related("phase"))
        self.operations = list(Operation.objects.all())
        self.total = len(self.operations)
        self.today = timezone.localdate()
        existing = {}
        if instance is not None and instance.pk:
            existing = {row.step_id: row for row in instance.steps.prefetch_related("operations")}
            self.fields["note"].initial = instance.note
        choices = [(op.pk, op.name) for op in self.operations]
        for step in self.steps:
            row = existing.get(step.pk)
            prefix = f"s{step.pk}_"
            self.fields[prefix + "count"] = forms.IntegerField(
                label=f"{step.name}: 完了した業務数",
                min_value=0,
                max_value=self.total,
                required=False,
                initial=row.operations_done if row and row.operations_done else None,
                widget=forms.NumberInput(attrs={"min": 0, "max": self.total, "class": "count"}),
            )
            self.fields[prefix + "partial"] = forms.BooleanField(
                label=f"{step.name}: 一部", required=False, initial=row.partial if row else False
            )
            self.fields[prefix + "planned"] = forms.DateField(
                label=f"{step.name}: 完了予定日",
                required=False,
                initial=row.planned_date if row else None,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[prefix + "actual"] = forms.DateField(
                label=f"{step.name}: 完了日（実績）",
                required=False,
                initial=row.actual_date if row else None,
                # the date picker offers no future day (the rule itself is step_row_errors')
                widget=forms.DateInput(
                    attrs={"type": "date", "max": self.today.isoformat()}, format="%Y-%m-%d"
                ),
            )
            self.fields[prefix + "ops"] = forms.TypedMultipleChoiceField(
                label=f"{step.name}: 完了した業務（業務ごとに入力する場合）",
                choices=choices,
                coerce=int,
                required=False,
                initial=[op.pk for op in row.operations.all()] if row else [],
                widget=forms.CheckboxSelectMultiple,
            )

    def step_rows(self):
        """(step, count, partial, planned, actual, ops) bound fields per step, for the template."""
        for step in self.steps:
            p = f"s{step.pk}_"
            yield (
                step,
                self[p + "count"],
                self[p + "partial"],
                self[p + "planned"],
                self[p + "actual"],
                self[p + "ops"],
            )

    def clean(self):
        cleaned = super().clean()
        for step in self.steps:
            p = f"s{step.pk}_"
            count, ops = cleaned.get(p + "count"), cleaned.get(p + "ops") or []
            if ops and count is not None and count != len(ops):
                self.add_error(
                    p + "count",
                    f"「{step.name}」: チェックした業務（{len(ops)}業務）と業務数（{count}）が一致しません。",
                )
            errors = step_row_errors(
                operations_done=len(ops) if ops else (count or 0),
                partial=bool(cleaned.get(p + "partial")),
                planned_date=cleaned.get(p + "planned"),
                actual_date=cleaned.get(p + "actual"),
                total=self.total,
                today=self.today,
            )
            for name, message in errors.items():
                if p + FIELD_SUFFIXES[name] not in self.errors:
                    self.add_error(p + FIELD_SUFFIXES[name], f"「{step.name}」: {message}")
        return cleaned

    def section_data(self) -> dict:
        steps = []
        for step in self.steps:
            p = f"s{step.pk}_"
            ops = self.cleaned_data.get(p + "ops") or []
            steps.append(
                {
                    "step_id": step.pk,
                    "operations_done": len(ops) if ops else (self.cleaned_data.get(p + "count") or 0),
                    "partial": self.cleaned_data.get(p + "partial", False),
                    "planned_date": self.cleaned_data.get(p + "planned"),
                    "actual_date": self.cleaned_data.get(p + "actual"),
                    "operation_ids": ops,
                }
            )
        return {"note": self.cleaned_data.get("note", ""), "steps": steps}

    def warnings(self) -> list[str]:
        """Soft warnings: a step reported while an earlier confirmed step is empty. Never blocking:
        the data really is out of order sometimes (長門市 reported RFI資料の作成 alone)."""
        data = self.section_data()["steps"]
        done = [bool(row["operations_done"]) for row in data]
        messages = []
        for index, step in enumerate(self.steps):
            if not done[index]:
                continue
            skipped = [
                s.name for s, d in zip(self.steps[:index], done[:index], strict=True) if s.verified and not d
            ]
            if skipped:
                messages.append(
                    f"「{step.name}」が入力されていますが、前のステップ（{'、'.join(skipped)}）は未入力です。"
                    "順番どおりでなくても保存できます。誤りでないか確認してください。"
                )
                break
        return messages
