"""Meeting pages: the list, a meeting with its agenda, a material (frozen as presented), the
presenter view, the print view, the workbook; freezing and copying (staff); action items."""

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from council import entry
from council.dates import validate_date_in_range
from council.framework.xlsx import xlsx_response
from council.meetings import services as meetings
from council.meetings import slides
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
            cards=meetings.frozen_cards(content),
            charts=meetings.frozen_charts(content),
            dashboard_url=dashboard_url_name(material.app_label),
            changed_since_freeze=changed_since_freeze,
            previous=previous,
            since_previous=meetings.table_changes(previous.frozen_content, content) if previous else [],
            is_staff=self.role == Role.STAFF,
            text_form=kwargs.get("text_form") or NarrativeForm(initial={"narrative": material.narrative}),
        )
        return context


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label="本文",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="見出しは # 、箇条書きは - 、表は | 区切り、強調は **…**。HTMLやスクリプトは文字のまま表示されます。",
        error_messages={
            "max_length": "本文は%(limit_value)d文字以内にしてください（現在%(show_value)d文字）。"
        },
    )


class NarrativeView(MaterialView):
    """Staff change a material's text until it is frozen."""

    allowed_roles = (Role.STAFF,)

    def post(self, request, pk, number):
        form = NarrativeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(text_form=form), status=400)
        try:
            meetings.material_narrative_save(
                material=self.material, narrative=form.cleaned_data["narrative"], user=request.user
            )
        except meetings.MeetingError as error:
            messages.error(request, error.message)
            return redirect(self.material)
        messages.success(request, f"資料{number}の本文を保存しました。")
        return redirect(self.material)

    def get(self, request, *args, **kwargs):
        return redirect(self.material)


class PresentView(MeetingMixin, TemplateView):
    """会議モード: one slide at a time on the shared 1920×1080 screen, each slide fitting it."""

    template_name = "meetings/present.html"
    medium = slides.SCREEN
    presenter = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agenda = self.agenda()
        deck = slides.meeting_slides(agenda, self.medium, presenter=self.presenter)
        context.update(meeting=self.meeting, slides=deck, total=len(deck), agenda=agenda)
        if self.role == Role.STAFF and self.live_opinions:
            context.update(live_opinion_context(self.meeting, agenda, deck, self.request.user))
        return context

    #: the presenter records opinions live (not the print view)
    live_opinions = True


def live_opinion_context(meeting, agenda, slides, user) -> dict:
    """The 会議モード opinion dialog: the agenda items to choose from, the organisations of the
    council, and which agenda item each slide shows (slide number → item id, for the script)."""
    items = []
    for item in agenda:
        items.append((item.pk, f"{item.number} {item.title}"))
        items += [(sub.pk, f"　・{sub.title}") for sub in item.subitems]
    slide_items = {}
    for number, slide in enumerate(slides, start=1):
        if slide["kind"] == "material":
            slide_items[number] = slide["material"].agenda_item_id or slide["item"].pk
        elif slide["kind"] == "item":
            slide_items[number] = slide["item"].pk
    return {
        "live_opinion": {
            "items": items,
            "organisations": meetings.organisations_of(meeting).order_by("display_order", "code"),
            "slide_items": slide_items,
            "action": reverse("council:record_opinion", args=[meeting.pk]),
        }
    }


class OpinionRecordView(MeetingMixin, View):
    """Staff record an opinion during the meeting (会議モード posts here with fetch; without script
    the form posts and comes back to the same slide)."""

    allowed_roles = (Role.STAFF,)

    def post(self, request, pk):
        data = request.POST
        wants_json = request.headers.get("X-Requested-With") == "fetch"
        slide = data.get("slide", "")
        back = reverse("council:present", args=[pk]) + (f"#{slide}" if slide.isdigit() else "")

        def answer(ok: bool, message: str, status: int = 200):
            if wants_json:
                return JsonResponse({"ok": ok, "message": message}, status=status)
            (messages.success if ok else messages.error)(request, message)
            return redirect(back)

        item_id, organisation_id = data.get("agenda_item", ""), data.get("organisation", "")
        agenda_item = None
        if item_id:
            agenda_item = AgendaItem.objects.filter(
                meeting=self.meeting, pk=item_id if item_id.isdigit() else 0
            ).first()
            if agenda_item is None:
                return answer(False, "この会議の議題を選んでください。記録していません。", 400)
        organisation = None
        if organisation_id:
            organisation = (
                meetings.organisations_of(self.meeting)
                .filter(pk=organisation_id if organisation_id.isdigit() else 0)
                .first()
            )
            if organisation is None:
                return answer(False, "この会議の団体を選んでください。記録していません。", 400)
        if len(data.get("content", "")) > 5000 or len(data.get("speaker", "")) > 100:
            return answer(False, "内容は5000文字、発言者は100文字以内にしてください。記録していません。", 400)
        try:
            opinion = meetings.opinion_record(
                meeting=self.meeting,
                agenda_item=agenda_item,
                organisation=organisation,
                speaker=data.get("speaker", ""),
                content=data.get("content", ""),
                action_title=data.get("action_title", "") if data.get("make_action") else "",
                user=request.user,
            )
        except meetings.MeetingError as error:
            return answer(False, error.message, 400)
        extra = "（対応事項にも登録）" if opinion.action_items.exists() else ""
        return answer(True, f"意見を記録しました{extra}: {opinion.speaker}")


class PrintView(PresentView):
    """The materials on A4 landscape pages, each page one slide cut to fit the page."""

    template_name = "meetings/print.html"
    medium = slides.PRINT
    presenter = False
    live_opinions = False


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
