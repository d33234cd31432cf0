"""Account forms: creating an account in the admin (with its role), changing one, and the password
reset request, whose mail goes through `council.mail.deliver` like every mail of the portal."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserChangeForm
from django.urls import reverse

from council.accounts import mails
from council.accounts.services import EMAIL_TAKEN, email_taken, normalize_email
from council.admin_forms import OUTSIDE_SCOPE
from council.models import Municipality, Role
from council.roles import grant_errors

LIAISON_NEEDS_ORGANISATION = "市町 連絡担当者には所属団体が必要です。"
EMAIL_INVALID = {"invalid": "メールアドレスの形式が正しくありません（例: taro@city.hagi.lg.jp）。"}


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset request: the same answer whether or not the address is known (nobody learns
    who has an account). Unlike Django's, it also reaches an account whose owner never set a
    password (an invitation that expired): the portal has no other way to log in."""

    email = forms.EmailField(
        label="メールアドレス",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages=EMAIL_INVALID,
    )

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=normalize_email(email), is_active=True)
        return iter(users)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        link = f"{context['protocol']}://{context['domain']}{path}"
        mails.deliver_rendered(
            to=to_email,
            subject_template=subject_template_name,
            body_template=email_template_name,
            context=mails.reset_context(context["user"], link=link),
            kind="password_reset",
        )


class EmailFieldMixin:
    """The address of an account: valid, stored lowercase, and not another account's."""

    def clean_email(self):
        email = normalize_email(self.cleaned_data.get("email") or "")
        if email and email_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


class AccountAddForm(EmailFieldMixin, forms.ModelForm):
    """A new account as staff create it in the admin: who, their address, role and organisation. It
    gets no password: the invitation mail lets its owner set one. The admin sets `editor`; the role
    and organisation follow the same rules as a profile's (`council.roles.grant_errors`)."""

    editor = None

    role = forms.ChoiceField(label="役割", choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label="所属団体",
        queryset=Municipality.objects.all(),
        required=False,
        help_text="連絡担当者は報告する団体。県職員・会議構成員は県を選ぶと、県とその市町を閲覧できます。",
    )

    class Meta:
        model = get_user_model()
        fields = ["last_name", "email", "role", "organisation", "username"]
        labels = {"last_name": "氏名", "email": "メールアドレス", "username": "ユーザー名"}
        help_texts = {
            "email": "招待メール（パスワードを設定するリンク）をこのアドレスに送ります。",
            "username": "空欄のときはメールアドレスをユーザー名にします。",
        }
        error_messages = {"email": EMAIL_INVALID}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        self.fields["username"].required = False
        if not (self.editor is not None and self.editor.is_superuser):
            organisation = self.fields["organisation"]
            organisation.queryset = Municipality.objects.for_user(self.editor)
            organisation.error_messages["invalid_choice"] = OUTSIDE_SCOPE

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        if username and get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("このユーザー名は既に使われています。")
        return username

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        errors = grant_errors(
            self.editor, role=cleaned.get("role"), organisation_id=organisation.pk if organisation else None
        )
        if "organisation" not in cleaned:  # an invalid choice: the field has its own error
            errors.pop("organisation", None)
        elif cleaned.get("role") == Role.LIAISON and organisation is None:
            errors.setdefault("organisation", LIAISON_NEEDS_ORGANISATION)
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


class PortalUserChangeForm(EmailFieldMixin, UserChangeForm):
    """Django's user change form; the address is checked like a new account's."""

    class Meta(UserChangeForm.Meta):
        labels = {"last_name": "氏名", "email": "メールアドレス"}
        error_messages = {"email": EMAIL_INVALID}
