"""Account pages: Django's password views with the portal's mail and lockout rules, the invitation's
set-password page, and the onboarding import."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from council.accounts.forms import PortalPasswordResetForm
from council.accounts.imports import HEADERS, AccountImporter
from council.accounts.mails import link_lifetime
from council.accounts.services import account_unlock
from council.framework.import_views import ImportView
from council.framework.xlsx import Sheet, xlsx_response
from council.roles import Role
from council.views.base import RoleRequiredMixin


class PasswordResetView(auth_views.PasswordResetView):
    """The reset request; its mail goes through `council.mail.deliver`."""

    form_class = PortalPasswordResetForm
    subject_template_name = "accounts/mail/password_reset_subject.txt"
    email_template_name = "accounts/mail/password_reset_body.txt"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"lifetime": link_lifetime()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of a reset mail. Setting the new password also lifts a login lockout: whoever can
    read the account's mail may log in again at once, without waiting for the cool-off."""

    def form_valid(self, form):
        response = super().form_valid(form)
        account_unlock(user=form.user)
        return response


class InvitationConfirmView(PasswordResetConfirmView):
    """The link of an invitation mail: the new account's first password (the same one-time token
    as a reset, so it stops working once a password is set)."""

    template_name = "accounts/invitation_confirm.html"
    success_url = reverse_lazy("invitation_complete")


@method_decorator(login_not_required, name="dispatch")
class InvitationCompleteView(TemplateView):
    template_name = "accounts/invitation_complete.html"


class AccountImportView(ImportView):
    """Onboarding from a sheet, for staff: accounts of their prefecture's organisations."""

    allowed_roles = (Role.STAFF,)
    importer_class = AccountImporter
    success_url = reverse_lazy("admin:auth_user_changelist")
    template_name = "accounts/import.html"
    instructions = (
        "連絡担当者と会議構成員のアカウントを、Excel の表からまとめて作成します。役割は「連絡担当」か「構成員」、"
        "団体コードは検査数字を含む6桁（例: 萩市 352047）です。作成したアカウントには、パスワードを設定する"
        "リンク（1回限り）を書いた招待メールを送ります（パスワードはメールに書きません）。ユーザー名はメールアドレスです。"
        "既に同じ団体・役割で登録されているメールアドレスの行は変更しないので、同じファイルをもう一度取り込んでも何も起きません。"
    )

    def get_importer(self):
        return AccountImporter(site_url=self.request.build_absolute_uri("/").rstrip("/"))


class AccountTemplateView(RoleRequiredMixin, View):
    """An empty sheet with the import's columns."""

    allowed_roles = (Role.STAFF,)

    def get(self, request):
        return xlsx_response([Sheet(title="アカウント", headers=HEADERS, rows=[])], "accounts_template.xlsx")
