"""Accounts in the back office: users with their portal role.

A superuser sees and changes every account. Prefecture staff (the staff group has the view, add and
change permissions on users) see the accounts bound to an organisation of their prefecture, never a
superuser; they create, change and deactivate liaison and council-member accounts, and may only look
at a staff account (their own included). They never set a password: a new account gets an
invitation mail, and a forgotten password a reset mail, each with a one-time link. From the list
(actions) or the account's page (buttons) they send those mails and lift a login lockout.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from council.accounts import services
from council.accounts.forms import AccountAddForm, PortalUserChangeForm
from council.admin_forms import ProfileAdminForm
from council.framework.admin import PortalHistoryAdmin, ScopedAdminMixin
from council.models import Municipality, Profile, Role

User = get_user_model()

NOT_MANAGEABLE = "県職員と管理者のアカウントは、管理者（スーパーユーザー）だけが変更できます。"


def site_url(request) -> str:
    """The portal's address as the request reached it, for the links in mails."""
    return request.build_absolute_uri("/").rstrip("/")


def manageable(request, user) -> bool:
    """Whether the request's user may change `user`: a superuser anyone, staff the liaison and
    council-member accounts of their scope (the queryset has already narrowed it to that scope)."""
    if request.user.is_superuser:
        return True
    profile = getattr(user, "portal_profile", None)
    return not (user.is_superuser or user.is_staff or (profile is not None and profile.role == Role.STAFF))


class ProfileInline(admin.StackedInline):
    model = Profile
    form = ProfileAdminForm
    can_delete = False
    verbose_name_plural = "ポータルでの役割"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.editor = request.user
        return formset


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Users with their portal role, scoped for anyone but a superuser (see the module docstring);
    only a superuser changes admin access, permissions and passwords, or grants the staff role or a
    national scope (`council.roles.grant_errors`, in the add form and the role inline)."""

    form = PortalUserChangeForm
    add_form = AccountAddForm
    add_form_template = "accounts/admin/user_add_form.html"
    change_form_template = "accounts/admin/user_change_form.html"
    change_list_template = "accounts/admin/user_change_list.html"
    add_fieldsets = ((None, {"fields": ("last_name", "email", "role", "organisation", "username")}),)
    staff_fieldsets = (
        (None, {"fields": ("username",)}),
        ("個人情報", {"fields": ("last_name", "email")}),
        ("状態", {"fields": ("is_active",)}),
        ("日時", {"fields": ("last_login", "date_joined")}),
    )
    inlines = [ProfileInline]
    list_display = ["username", "last_name", "email", "role", "organisation", "login_state", "is_active"]
    list_select_related = ["portal_profile__organisation"]
    list_filter = ["portal_profile__role", "is_active", "is_staff"]
    search_fields = ["username", "last_name", "first_name", "email"]
    superuser_only_fields = ["is_staff", "is_superuser", "groups", "user_permissions"]
    actions = ["send_password_mail", "unlock_accounts", "deactivate_accounts"]

    def get_queryset(self, request):
        from axes.models import AccessAttempt

        users = super().get_queryset(request)
        lockouts = services.locking_attempts(AccessAttempt.objects.filter(username=OuterRef("username")))
        users = users.annotate(locked_out=Exists(lockouts))
        if request.user.is_superuser:
            return users
        visible = Municipality.objects.for_user(request.user).values("pk")
        return users.filter(is_superuser=False, portal_profile__organisation__in=visible)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or manageable(request, obj))

    def has_delete_permission(self, request, obj=None):
        """Accounts are deactivated, not deleted (their reports and history name them); a superuser
        may still delete one."""
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.staff_fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [*self.superuser_only_fields, "last_login", "date_joined"]
        return fields

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)  # the add form has the role

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        services.account_create(
            account=services.NewAccount(
                name=data["last_name"],
                email=data["email"],
                role=Role(data["role"]),
                organisation=data["organisation"],
            ),
            created_by=request.user,
            site_url=site_url(request),
            instance=obj,
        )

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            f"「{obj.email}」に招待メール（パスワードを設定するリンク）を送りました。ユーザー名は「{obj.username}」です。",
            messages.SUCCESS,
        )
        return super().response_add(request, obj, post_url_continue)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None:  # the buttons of the account's page say what they would change
            extra_context = (extra_context or {}) | {
                "locked_out": user.locked_out,
                "login_state": self.login_state(user),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        """Only a superuser sets a password for someone; staff send a mail with a link instead."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    # --- what the list shows ------------------------------------------------------------------

    @admin.display(description="役割")
    def role(self, obj):
        profile = getattr(obj, "portal_profile", None)
        return profile.get_role_display() if profile else ""

    @admin.display(description="所属団体")
    def organisation(self, obj):
        profile = getattr(obj, "portal_profile", None)
        return profile.organisation if profile else ""

    @admin.display(description="ログイン")
    def login_state(self, obj):
        locked = getattr(obj, "locked_out", None)
        if locked is None:  # an object not loaded through get_queryset
            locked = obj.get_username() in services.locked_usernames([obj.get_username()])
        return "一時停止中（パスワードの誤りが続いたため）" if locked else "利用できます"

    # --- actions and the buttons of an account's page -------------------------------------------

    def _each(self, request, queryset, service, done: str):
        """Run `service(user)` for every selected account the user may change; report each refusal."""
        ok = 0
        for user in queryset:
            if not manageable(request, user):
                self.message_user(request, f"「{user.get_username()}」: {NOT_MANAGEABLE}", messages.ERROR)
                continue
            try:
                result = service(user)
            except services.AccountError as error:
                self.message_user(request, f"「{user.get_username()}」: {error.message}", messages.ERROR)
                continue
            if result is not False:
                ok += 1
                self.log_change(request, user, done)
        return ok

    @admin.action(
        description="パスワード設定のメールを送る（未設定なら招待、設定済みなら再設定）",
        permissions=["change"],
    )
    def send_password_mail(self, request, queryset):
        url = site_url(request)
        sent = self._each(
            request,
            queryset,
            lambda user: services.account_password_mail(user=user, site_url=url),
            "パスワード設定のメールを送信",
        )
        if sent:
            self.message_user(
                request, f"{sent} 件のアカウントにパスワード設定のメールを送りました。", messages.SUCCESS
            )

    @admin.action(description="ログインの一時停止を解除する", permissions=["change"])
    def unlock_accounts(self, request, queryset):
        unlocked = self._each(
            request, queryset, lambda user: services.account_unlock(user=user) > 0, "ログインの一時停止を解除"
        )
        if unlocked:
            self.message_user(
                request, f"{unlocked} 件のアカウントのログインの一時停止を解除しました。", messages.SUCCESS
            )
        else:
            self.message_user(request, "一時停止中のアカウントはありませんでした。", messages.INFO)

    @admin.action(description="アカウントを無効にする（ログインできなくなります）", permissions=["change"])
    def deactivate_accounts(self, request, queryset):
        def deactivate(user):
            if user.pk == request.user.pk:
                raise services.AccountError("自分自身のアカウントは無効にできません。")
            return services.account_deactivate(user=user)

        done = self._each(request, queryset, deactivate, "アカウントを無効化")
        if done:
            self.message_user(request, f"{done} 件のアカウントを無効にしました。", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/password-mail/",
                self.admin_site.admin_view(self.password_mail_view),
                name="auth_user_password_mail",
            ),
            path(
                "<path:object_id>/unlock/",
                self.admin_site.admin_view(self.unlock_view),
                name="auth_user_unlock",
            ),
            *super().get_urls(),
        ]

    def _button(self, request, object_id, action):
        user = self.get_object(request, unquote(object_id))  # from the scoped queryset
        if user is None:
            raise Http404("このアカウントはありません。")
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        action(request, self.get_queryset(request).filter(pk=user.pk))
        return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))

    @method_decorator(require_POST)
    def password_mail_view(self, request, object_id):
        return self._button(request, object_id, self.send_password_mail)

    @method_decorator(require_POST)
    def unlock_view(self, request, object_id):
        return self._button(request, object_id, self.unlock_accounts)


@admin.register(Profile)
class ProfileAdmin(ScopedAdminMixin, PortalHistoryAdmin):
    """Roles in the staff member's scope; a superuser sees every one, national ones included."""

    scope_path = "organisation"
    form = ProfileAdminForm
    list_display = ["user", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    list_select_related = ["user", "organisation"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        return form
