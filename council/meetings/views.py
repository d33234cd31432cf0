"""Meeting pages: the list, a meeting with its agenda, a material (frozen as presented), the
presenter view, the print view, the workbook; freezing and copying (staff); action items."""

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from council import entry
from council.dates import validate_date_in_range
from council.framework.xlsx import xlsx_response
from council.meetings import services as meetings
from council.models import ActionItem, AgendaItem, Material, Meeting
from council.roles import Role
from council.views.base import RoleRequiredMixin

ALL_ROLES = (Role.STAFF, Role.LIAISON, Role.MEMBER)


def dashboard_url_name(app_label: str) -> str | None:
    from council.framework import registry

    return registry.dashboards.get(app_label).url_name if app_label in registry.dashboards else None


class MeetingMixin(RoleRequiredMixin):
    """Loads `self.meeting` from the viewer's council only: another council's meeting is a 404."""

    allowed_roles = ALL_ROLES

    def load_objects(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(
            Meeting.objects.for_user(request.user).select_related("organiser"), pk=kwargs["pk"]
        )

    def agenda(self):
        """Top-level items with their children and materials, in order."""
        items = list(
            AgendaItem.objects.filter(meeting=self.meeting)
            .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("number")))
            .order_by("parent_id", "number")
        )
        top = [i for i in items if i.parent_id is None]
        for item in top:
            item.subitems = [i for i in items if i.parent_id == item.pk]
        return top


class MeetingListView(RoleRequiredMixin, TemplateView):
    allowed_roles = ALL_ROLES
    template_name = "meetings/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = Meeting.objects.for_user(self.request.user)
        context["is_staff"] = self.role == Role.STAFF
        return context


class CopyForm(forms.Form):
    held_at = forms.DateTimeField(
        label="次回の日時",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[validate_date_in_range],
        error_messages={
            "required": "次回の日時を入力してください。",
            "invalid": "日時を正しく入力してください。",
        },
    )


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "meetings/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            meeting=self.meeting,
            agenda=self.agenda(),
            is_staff=self.role == Role.STAFF,
            opinions=self.meeting.opinions.select_related("agenda_item", "organisation"),
            raised=ActionItem.objects.for_user(user).filter(meeting=self.meeting).select_related("owner"),
            carried=ActionItem.objects.for_user(user)
            .open()
            .filter(
                meeting__organiser_id=self.meeting.organiser_id, meeting__held_at__lt=self.meeting.held_at
            )
            .select_related("owner", "meeting"),
            copy_form=kwargs.get("copy_form") or CopyForm(),
        )
        return context


class MaterialView(MeetingMixin, TemplateView):
    template_name = "meetings/material.html"

    def load_objects(self, request, *args, **kwargs):
        super().load_objects(request, *args, **kwargs)
        self.material = get_object_or_404(Material, meeting=self.meeting, number=kwargs["number"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        material = self.material
        content = material.frozen_content if material.is_frozen else meetings.material_content(material)
        changed_since_freeze = []
        if material.is_frozen and material.app_label:
            live = meetings.material_content(material, with_charts=False)
            changed_since_freeze = meetings.table_changes(material.frozen_content, live)
        previous = meetings.previous_material(material)
        context.update(
            meeting=self.meeting,
            material=material,
            content=content,
            table=meetings.first_table(content),
            charts=meetings.frozen_charts(content),
            dashboard_url=dashboard_url_name(material.app_label),
            changed_since_freeze=changed_since_freeze,
            previous=previous,
            since_previous=meetings.table_changes(previous.frozen_content, content) if previous else [],
            is_staff=self.role == Role.STAFF,
        )
        return context


def slides_for(meeting, agenda) -> list[dict]:
    """The presenter's slides: a title slide, then each agenda item, each material on its own."""
    slides = [{"kind": "title"}]
    for item in agenda:
        materials = list(item.materials.all())
        for sub in item.subitems:
            materials += list(sub.materials.all())
        if not materials:
            slides.append({"kind": "item", "item": item})
        for material in materials:
            content = material.frozen_content if material.is_frozen else meetings.material_content(material)
            previous = meetings.previous_material(material)
            changes = meetings.table_changes(previous.frozen_content, content) if previous else []
            slides.append(
                {
                    "kind": "material",
                    "item": item,
                    "material": material,
                    "content": content,
                    "table": meetings.first_table(content),
                    "charts": meetings.frozen_charts(content, prefix=f"m{material.number}-"),
                    "changes": changes,
                    "changed_rows": {c.row for c in changes},
                    "previous": previous,
                }
            )
    return slides


class PresentView(MeetingMixin, TemplateView):
    template_name = "meetings/present.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slides = slides_for(self.meeting, self.agenda())
        context.update(
            meeting=self.meeting,
            slides=slides,
            total=len(slides),
            agenda_lines=meetings.agenda_lines(self.meeting),
        )
        return context


class PrintView(PresentView):
    template_name = "meetings/print.html"


class WorkbookView(MeetingMixin, View):
    allowed_roles = (Role.STAFF,)

    def get(self, request, pk):
        return xlsx_response(
            meetings.meeting_sheets(self.meeting),
            f"meeting_{self.meeting.fiscal_year}_{self.meeting.number}.xlsx",
            title=f"{self.meeting.full_title} 資料",
        )


class FreezeView(MeetingMixin, View):
    allowed_roles = (Role.STAFF,)

    def post(self, request, pk, number=None):
        if number is None:
            count = meetings.meeting_freeze(meeting=self.meeting, user=request.user)
            messages.success(request, f"資料 {count} 件を現在の承認済みデータで確定しました。")
            return redirect(self.meeting)
        material = get_object_or_404(Material, meeting=self.meeting, number=number)
        meetings.material_freeze(material=material, user=request.user)
        messages.success(request, f"資料{number}を現在の承認済みデータで確定しました。")
        return redirect(material)


class CopyView(MeetingMixin, View):
    allowed_roles = (Role.STAFF,)

    def post(self, request, pk):
        form = CopyForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"{''.join(form.errors['held_at'])}会議は作成していません。")
            return redirect(self.meeting)
        if form.cleaned_data["held_at"] <= self.meeting.held_at:
            messages.error(request, "次回の日時は、この会議より後にしてください。会議は作成していません。")
            return redirect(self.meeting)
        new = meetings.meeting_copy(
            meeting=self.meeting, held_at=form.cleaned_data["held_at"], user=request.user
        )
        messages.success(
            request, f"{new.full_title}を作成しました（次第と資料を引き継ぎ、資料は最新の期間に移しました）。"
        )
        return redirect(new)


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["status", "progress"]
        widgets = {"progress": forms.Textarea(attrs={"rows": 4})}


class ActionListView(RoleRequiredMixin, TemplateView):
    allowed_roles = ALL_ROLES
    template_name = "meetings/actions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = ActionItem.objects.for_user(self.request.user).select_related("owner", "meeting")
        return context


class ActionUpdateView(RoleRequiredMixin, TemplateView):
    """A liaison updates their own organisation's action items; staff any in scope."""

    allowed_roles = (Role.STAFF, Role.LIAISON)
    template_name = "meetings/action_form.html"
    #: an update posted after the login expired comes back to this page after the login (council.entry)
    keeps_unsaved_entry = True

    def load_objects(self, request, *args, **kwargs):
        self.item = get_object_or_404(
            ActionItem.objects.for_user(request.user).select_related("meeting", "owner"), pk=kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        kept = entry.take(request)
        if kept is not None:  # posted when the login had expired: shown again, not saved
            form = ActionItemForm(kept, instance=self.item)
            return self.render_to_response(self.get_context_data(form=form, restored=True))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(item=self.item, form=kwargs.get("form") or ActionItemForm(instance=self.item))
        return context

    def post(self, request, pk):
        form = ActionItemForm(request.POST, instance=self.item)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        item = form.save(commit=False)
        item._history_user = request.user
        item.save()
        messages.success(request, "対応事項を更新しました。")
        return redirect("council:actions")
