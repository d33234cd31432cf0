from decimal import Decimal

from django import forms

from council.forms import expected_version_field
from rpa.models import ParticipationRequest, Scenario, active_scenario_ids


class RpaUsageForm(forms.Form):
    """Per scenario the municipality uses: runs and hours saved this quarter; and requests to start
    or stop using scenarios (applied when the report is approved)."""

    expected_version = expected_version_field()
    note = forms.CharField(
        label="補足（効果や課題など）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, data=None, *, instance=None, initial=None, report=None, **kwargs):
        super().__init__(data, initial=initial, **kwargs)
        report = report or (instance.report if instance is not None else None)
        municipality_id = report.municipality_id if report else None
        active = active_scenario_ids(municipality_id)
        scenarios = list(Scenario.objects.exclude(status=Scenario.Status.RETIRED))
        self.used = [s for s in scenarios if s.pk in active]
        self.available = [s for s in scenarios if s.pk not in active]
        stored = (
            {u.scenario_id: u for u in instance.scenarios.all()}
            if instance is not None and instance.pk
            else {}
        )
        requested = (
            {r.scenario_id: r.action for r in instance.requests.all()}
            if instance is not None and instance.pk
            else {}
        )
        if instance is not None and instance.pk:
            self.fields["note"].initial = instance.note
        for s in self.used:
            row = stored.get(s.pk)
            self.fields[f"runs_{s.pk}"] = forms.IntegerField(
                label=f"{s.name}: 実行回数",
                min_value=0,
                max_value=1_000_000,
                required=False,
                initial=row.runs if row else None,
            )
            self.fields[f"hours_{s.pk}"] = forms.DecimalField(
                label=f"{s.name}: 削減時間（時間）",
                min_value=Decimal("0"),
                max_value=Decimal("100000"),
                decimal_places=1,
                required=False,
                initial=row.hours_saved if row else None,
            )
        self.fields["leave"] = forms.TypedMultipleChoiceField(
            label="利用を終了するシナリオ",
            choices=[(s.pk, s.name) for s in self.used],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=[pk for pk, a in requested.items() if a == ParticipationRequest.Action.LEAVE],
        )
        self.fields["join"] = forms.TypedMultipleChoiceField(
            label="利用を開始するシナリオ",
            choices=[(s.pk, s.name) for s in self.available],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=[pk for pk, a in requested.items() if a == ParticipationRequest.Action.JOIN],
        )

    def usage_rows(self):
        for s in self.used:
            yield s, self[f"runs_{s.pk}"], self[f"hours_{s.pk}"]

    def section_data(self) -> dict:
        c = self.cleaned_data
        return {
            "note": c.get("note", ""),
            "usage": [
                {
                    "scenario_id": s.pk,
                    "runs": c.get(f"runs_{s.pk}") or 0,
                    "hours_saved": c.get(f"hours_{s.pk}") or Decimal("0"),
                }
                for s in self.used
            ],
            "requests": [
                {"scenario_id": pk, "action": ParticipationRequest.Action.JOIN} for pk in c.get("join", [])
            ]
            + [{"scenario_id": pk, "action": ParticipationRequest.Action.LEAVE} for pk in c.get("leave", [])],
        }
