"""資料6 back office: staff enter the prefecture's programmes, offers, support cases and milestones
of their own council; a breakdown that does not add up is saved with a warning."""

from django.contrib import admin, messages

from programmes.models import BudgetLine, Milestone, Offer, Programme, Registration, SubProgramme, SupportCase
from programmes.services import breakdown_warnings


class ScopedChoices:
    """A choice of a related row (an organisation, a programme) offers the staff member's council's
    rows only, in a form and in its inlines alike (`for_user` of the related model's rows)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model._default_manager.all()
        if hasattr(related, "for_user"):
            kwargs["queryset"] = related.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CouncilScopedAdmin(ScopedChoices, admin.ModelAdmin):
    """Only the staff member's council's rows (`for_user`)."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class SubProgrammeInline(admin.StackedInline):
    model = SubProgramme
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(CouncilScopedAdmin):
    list_display = ["name", "fiscal_year", "department", "budget", "is_new"]
    list_filter = ["fiscal_year"]
    inlines = [BudgetLineInline, SubProgrammeInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in breakdown_warnings(form.instance):
            messages.warning(request, warning)


class RegistrationInline(ScopedChoices, admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["organisation", "kind", "participants", "note"]


@admin.register(Offer)
class OfferAdmin(CouncilScopedAdmin):
    list_display = ["__str__", "kind", "fiscal_year", "opens", "closes", "held_on", "accepting"]
    list_filter = ["kind", "fiscal_year", "accepting"]
    inlines = [RegistrationInline]


@admin.register(SupportCase)
class SupportCaseAdmin(CouncilScopedAdmin):
    list_display = ["organisation", "title", "topic", "status", "fiscal_year"]
    list_filter = ["topic", "status", "fiscal_year"]


@admin.register(Milestone)
class MilestoneAdmin(CouncilScopedAdmin):
    list_display = ["group", "title", "timing", "due", "fiscal_year"]
