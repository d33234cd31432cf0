from django import forms

from council.models import DXStructure
from council.models.dx import HEADCOUNT_VALIDATORS


class SectionForm(forms.ModelForm):
    """Base of every report section's form: carries the version the editor loaded."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

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


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="差戻しの理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "差戻しの理由（コメント）を入力してください。"},
    )


class ReopenForm(forms.Form):
    comment = forms.CharField(label="再開の理由", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
