"""資料7 section form."""

from django import forms
from django.utils import timezone

from council.dx.models import DXStructure, headcount_validators
from council.forms import SectionForm
from council.wareki import wareki_fiscal_year


class DXStructureForm(SectionForm):
    class Meta:
        model = DXStructure
        fields = DXStructure.REPORTED
        widgets = {"policy": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, flag in (
            ("external_talent_count", "has_external_talent"),
            ("it_hires_count", "has_it_hires"),
        ):
            field = self.fields[name]
            field.min_value, field.max_value = 1, 999
            field.validators = headcount_validators(self.fields[flag].label)  # names the checkbox shown
            field.widget.attrs.update(min=1, max=999)
        # the planned year as 和暦 fiscal years, not a bare western number
        today = timezone.localdate()
        this_year = today.year if today.month >= 4 else today.year - 1
        years = set(range(2019, this_year + 6))
        if self.instance.policy_planned_fiscal_year:
            years.add(self.instance.policy_planned_fiscal_year)
        model_field = self.fields["policy_planned_fiscal_year"]
        self.fields["policy_planned_fiscal_year"] = forms.TypedChoiceField(
            label=model_field.label,
            choices=[("", "—")] + [(y, wareki_fiscal_year(y)) for y in sorted(years)],
            coerce=int,
            empty_value=None,
            required=False,
            help_text="「策定予定」のとき、策定予定の年度",
        )
