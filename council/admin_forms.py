"""Forms of the back office whose rules depend on who edits: the admin sets `editor` on the form
class it builds for a request (`get_form`, `get_formset` build a new class each time)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.functional import cached_property

from council.forms import expected_version_field
from council.models import Municipality, Profile
from council.roles import GRANT_STAFF, NATIONAL_SCOPE, grant_errors

__all__ = ["GRANT_STAFF", "NATIONAL_SCOPE", "OUTSIDE_SCOPE", "ProfileAdminForm", "SectionAdminForm"]

OUTSIDE_SCOPE = (
    "担当範囲外の団体には所属させられません。あなたの担当の都道府県とその市区町村から選んでください。"
)


class ProfileAdminForm(forms.ModelForm):
    """A user's role and organisation as staff edit them (ProfileAdmin, and the profile inline of
    the user admin). A superuser may set anything. Anyone else may not widen a scope, their own
    included: not grant the staff role, not leave the organisation empty (national scope) where
    it was set, not bind a profile to an organisation outside their own scope, and not move a
    profile (its role) to another user."""

    editor = None  # the user editing; None is treated as someone with no scope at all

    class Meta:
        model = Profile
        fields = ["user", "role", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.editor_is_superuser:
            return
        organisation = self.fields.get("organisation")
        if organisation is not None:
            organisation.queryset = Municipality.objects.for_user(self.editor)
            organisation.error_messages["invalid_choice"] = OUTSIDE_SCOPE
        user = self.fields.get("user")
        if user is not None:  # not in the inline, where the user is the page's
            users = get_user_model().objects
            user.queryset = (
                users.filter(pk=self.instance.user_id)
                if self.instance.pk
                else users.filter(portal_profile__isnull=True, is_superuser=False)
            )

    @property
    def editor_is_superuser(self) -> bool:
        return self.editor is not None and self.editor.is_superuser

    def clean(self):
        cleaned = super().clean()
        if self.editor_is_superuser:
            return cleaned
        before = self.instance if self.instance.pk else None  # not yet changed: _post_clean does that
        organisation = cleaned.get("organisation")
        errors = grant_errors(
            self.editor,
            role=cleaned.get("role"),
            organisation_id=organisation.pk if organisation else None,
            before=before,
        )
        if "organisation" not in cleaned:  # an invalid choice: the field has its own error
            errors.pop("organisation", None)
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


class SectionAdminForm(forms.ModelForm):
    """A report section in the admin (its own page, or an inline of the report) carries the version
    it was loaded at, like the liaison's form, for `services.section_admin_save` to refuse a save
    over someone else's. The version alone is not a change."""

    expected_version = expected_version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version if self.instance.pk else 0

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name != "expected_version"]
