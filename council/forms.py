from django import forms

from council.models import ReportEvent

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


COMMENT_TOO_LONG = "コメントは%(limit_value)s文字以内で入力してください（%(show_value)s文字あります）。"


class CommentForm(forms.Form):
    """A message in a report's thread."""

    comment = forms.CharField(
        label="コメント",
        widget=forms.Textarea(
            attrs={"rows": 4, "id": "id_thread_comment", "aria-describedby": "id_thread_comment_help"}
        ),
        max_length=ReportEvent.COMMENT_MAX_LENGTH,
        help_text=f"県の担当者と団体の連絡担当者だけが読めます（{ReportEvent.COMMENT_MAX_LENGTH:,}文字まで）。",
        error_messages={"required": "コメントを入力してください。", "max_length": COMMENT_TOO_LONG},
    )


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label="取り下げの理由（任意）",
        widget=forms.Textarea(attrs={"rows": 2, "id": "id_withdraw_comment"}),
        required=False,
        max_length=ReportEvent.COMMENT_MAX_LENGTH,
        error_messages={"max_length": COMMENT_TOO_LONG},
    )
