from django import forms
from django.utils import timezone

from council.models import DXStructure
from council.models.dx import HEADCOUNT_VALIDATORS
from council.wareki import wareki_fiscal_year

STALE_FORM = "フォームの情報が古いか壊れています。ページを再読み込みしてから入力し直してください。"


def expected_version_field() -> forms.IntegerField:
    """The hidden field every section form carries: the version the editor loaded."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM},
    )


class SectionForm(forms.ModelForm):
    """Base of a single-model report section's form. A section form's contract (any form class may
    meet it): `form_class(data, instance=…, initial=…, report=…)`, an `expected_version` field,
    `section_data()` for `section_save`, and optionally `warnings()` shown after a save."""

    expected_version = expected_version_field()

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def section_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


class DXStructureForm(SectionForm):
    class Meta:
        model = DXStructure
        fields = [
            "department",
            "policy",
            "policy_planned_fiscal_year",
            "promotion_body",
            "has_external_talent",
            "external_talent_count",
            "has_it_hires",
            "it_hires_count",
        ]
        widgets = {"policy": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("external_talent_count", "it_hires_count"):
            field = self.fields[name]
            field.min_value, field.max_value = 1, 999
            field.validators = list(HEADCOUNT_VALIDATORS)
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


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="差戻しの理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "差戻しの理由（コメント）を入力してください。"},
    )


class ReopenForm(forms.Form):
    comment = forms.CharField(
        label="再開の理由", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
