from django import forms

from analog_review import selectors
from council.forms import expected_version_field


class AnalogConfirmationForm(forms.Form):
    """Shows the counts that follow from the inventory now; the liaison confirms them and notes
    what blocks progress. The counts saved are taken from the inventory at the moment of saving."""

    expected_version = expected_version_field()
    confirmed = forms.BooleanField(
        label="台帳から集計した上の件数を確認しました",
        error_messages={"required": "集計した件数を確認し、チェックを入れてください。"},
    )
    blockers = forms.CharField(
        label="進める上での課題", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )

    def __init__(self, data=None, *, instance=None, initial=None, report=None, **kwargs):
        super().__init__(data, initial=initial, **kwargs)
        self.report = report or (instance.report if instance is not None else None)
        if instance is not None and instance.pk:
            self.fields["blockers"].initial = instance.blockers
        self.types = selectors.types()
        self.counts = selectors.inventory_counts(self.report.municipality_id) if self.report else []
        self.table = selectors.matrix(self.counts)

    def rows(self):
        """(type, [count per status], total) for the template."""
        for t in self.types:
            cells = [self.table.get(t.pk, {}).get(s, 0) for s in selectors.STATUSES]
            yield t, cells, sum(cells)

    @property
    def statuses(self):
        return selectors.STATUSES

    @property
    def total(self) -> int:
        return sum(c["count"] for c in self.counts)

    def section_data(self) -> dict:
        return {"blockers": self.cleaned_data.get("blockers", ""), "counts": self.counts}
