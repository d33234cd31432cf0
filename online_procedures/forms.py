from django import forms
from django.core.exceptions import ValidationError

from council.forms import expected_version_field
from online_procedures.models import Procedure, checklist_count


class OnlineProceduresForm(forms.Form):
    """The number of procedures available on マイナポータル, or the checklist it follows from."""

    expected_version = expected_version_field()

    def __init__(self, data=None, *, instance=None, initial=None, report=None, **kwargs):
        super().__init__(data, initial=initial, **kwargs)
        self.procedures = list(Procedure.objects.all())
        self.total = len(self.procedures)
        self.fields["available_count"] = forms.IntegerField(
            label=f"マイナポータルで利用できる手続数（{self.total}手続のうち）",
            min_value=0,
            max_value=self.total,
            required=False,
            initial=instance.available_count if instance else None,
            help_text="下の一覧でチェックした場合は空欄でかまいません（チェックした数になります）。",
        )
        checked = [p.pk for p in instance.procedures.all()] if instance and instance.pk else []
        for category, label in Procedure.Category.choices:
            choices = [(p.pk, p.name) for p in self.procedures if p.category == category]
            self.fields[f"procedures_{category}"] = forms.TypedMultipleChoiceField(
                label=f"{label}（{len(choices)}手続）",
                choices=choices,
                coerce=int,
                required=False,
                initial=[pk for pk, _ in choices if pk in checked],
                widget=forms.CheckboxSelectMultiple,
            )

    def checklist_fields(self):
        return [self[f"procedures_{category}"] for category, _ in Procedure.Category.choices]

    def selected(self) -> list[int]:
        return [
            pk
            for category, _ in Procedure.Category.choices
            for pk in self.cleaned_data.get(f"procedures_{category}") or []
        ]

    def clean(self):
        cleaned = super().clean()
        selected, count = self.selected(), cleaned.get("available_count")
        try:
            checklist_count(count, selected)
        except ValidationError as error:
            self.add_error("available_count", error)
        if not selected and count is None and "available_count" not in self.errors:
            self.add_error(
                "available_count",
                "手続数を入力するか、利用できる手続にチェックしてください（ない場合は 0）。",
            )
        return cleaned

    def section_data(self) -> dict:
        return {"available_count": self.cleaned_data.get("available_count"), "procedure_ids": self.selected()}
