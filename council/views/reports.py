"""Quarterly report pages: liaisons fill in, confirm and submit (or withdraw); staff review the
changes against the last approved report, return, approve, reopen; both talk in the report's thread."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from council import entry, selectors, services
from council.forms import CommentForm, ReopenForm, ReturnForm, WithdrawForm
from council.framework import registry
from council.models import ReportingPeriod, ReportStatus
from council.roles import Role
from council.views.base import ReportMixin, RoleRequiredMixin


class ReportListView(RoleRequiredMixin, TemplateView):
    """A liaison's own reports (and the open periods still to start); staff: every report in scope."""

    allowed_roles = (Role.STAFF, Role.LIAISON)
    template_name = "council/reports/list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        reports = selectors.reports_for_user(user=user)
        status = self.request.GET.get("status")
        if status in ReportStatus.values:
            reports = reports.filter(status=status)
        if self.role == Role.LIAISON:
            started = set(reports.values_list("period_id", flat=True))
            context["to_start"] = [
                p
                for p in ReportingPeriod.objects.accepting().order_by("-fiscal_year", "-quarter")
                if p.pk not in started
            ]
        context["page"] = Paginator(reports, self.paginate_by).get_page(self.request.GET.get("page"))
        context["statuses"] = ReportStatus.choices
        context["status"] = status
        return context


class ReportStartView(RoleRequiredMixin, View):
    allowed_roles = (Role.LIAISON,)

    def post(self, request, period_slug):
        try:
            period = ReportingPeriod.objects.get_by_slug(period_slug)
        except ReportingPeriod.DoesNotExist:
            raise Http404("報告期間がありません。") from None
        try:
            report = services.report_start(
                municipality=request.user.portal_profile.organisation, period=period, user=request.user
            )
        except services.ReportError as error:
            messages.error(request, error.message)
            return redirect("reports:list")
        return redirect(report)


class ReportDetailView(ReportMixin, TemplateView):
    """The report: its sections (marked 代理入力 where staff wrote them), what the viewer may do,
    the thread and the history."""

    template_name = "council/reports/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        events = selectors.report_events(report=report)
        context["report"] = report
        context["sections"] = selectors.section_states(report=report, events=events)
        context["events"] = events
        context["thread"] = [e for e in events if e.is_comment]
        context["can_edit"] = report.is_editable
        context["is_staff"] = self.role == Role.STAFF
        context["can_withdraw"] = self.role == Role.LIAISON and report.status == ReportStatus.SUBMITTED
        context["return_form"] = ReturnForm()
        context["reopen_form"] = ReopenForm()
        context["withdraw_form"] = WithdrawForm()
        context.setdefault("comment_form", CommentForm())
        return context


class ReportCommentView(ReportDetailView):
    """POST a comment to the report's thread. A refused comment shows the report again with the
    typed text and the reason; nothing is written."""

    def get(self, request, *args, **kwargs):
        return redirect(self.report)

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.report_comment(
                    report=self.report, user=request.user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                form.add_error("comment", error)
            except services.ReportError as error:
                messages.error(request, error.message)
                return redirect(self.report)
            else:
                messages.success(request, "コメントを送りました。")
                return redirect(self.report.get_absolute_url() + "#thread")
        messages.error(request, "コメントを送れませんでした。内容を確認してください。何も保存していません。")
        return self.render_to_response(self.get_context_data(comment_form=form), status=400)


class ReportReviewView(ReportMixin, TemplateView):
    """Staff review a report: per section what changed against the organisation's last approved
    report (old → new), the thread, and the decision (approve, or return with a comment)."""

    allowed_roles = (Role.STAFF,)
    template_name = "council/reports/review_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        events = selectors.report_events(report=report)
        context["report"] = report
        context["changes"] = selectors.report_changes(report=report)
        context["thread"] = [e for e in events if e.is_comment]
        context["return_form"] = ReturnForm()
        return context


class SectionEditView(ReportMixin, TemplateView):
    """Edit one section. A save that is refused keeps what the editor typed on the page: next to
    what the other person saved (a stale form: someone saved in between), or next to the reason
    (the report was submitted, approved … in between)."""

    template_name = "council/reports/section_form.html"
    #: a save posted after the login expired comes back to this page after the login (council.entry)
    keeps_unsaved_entry = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["section"] not in registry.sections:
            raise Http404("報告の項目がありません。")
        self.section = registry.sections.get(kwargs["section"])
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self, request, *args, **kwargs):
        super().load_objects(request, *args, **kwargs)
        if not self.section.applies_to(self.report.municipality):
            raise Http404("この団体の報告にはこの項目はありません。")

    def get(self, request, *args, **kwargs):
        kept = entry.take(request)
        if kept is None and not self.report.is_editable:
            messages.error(request, f"この報告は「{self.report.get_status_display()}」のため編集できません。")
            return redirect(self.report)
        instance = self.section.instance_for(self.report)
        if kept is not None:  # posted when the login had expired: shown again, saved by no one yet
            locked = not self.report.is_editable
            if locked:
                messages.error(request, services.locked_reason(self.report))
            form = self.section.form_class(kept, instance=instance, report=self.report)
            return self.render_to_response(self.get_context_data(form=form, restored=True, locked=locked))
        form = self.section.form_class(
            instance=instance,
            initial={"expected_version": instance.version if instance else 0},
            report=self.report,
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        instance = self.section.instance_for(self.report)
        form = self.section.form_class(request.POST, instance=instance, report=self.report)
        if not form.is_valid():
            messages.error(
                request, "入力内容に誤りがあります。赤字の項目を確認してください。保存していません。"
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.section_save(
                report=self.report,
                section=self.section,
                data=form.section_data(),
                expected_version=form.cleaned_data["expected_version"],
                user=request.user,
            )
        except services.EditConflict as conflict:
            messages.error(request, conflict.message)
            data = request.POST.copy()
            data["expected_version"] = conflict.current.version if conflict.current else 0
            form = self.section.form_class(data, report=self.report)  # no instance: must not touch `current`
            form.is_valid()
            return self.render_to_response(
                self.get_context_data(form=form, conflict=conflict.current), status=409
            )
        except services.ReportLocked as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(form=form, locked=True), status=409)
        except services.ReportError as error:
            messages.error(request, error.message)
            return redirect(self.report)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, f"「{self.section.title}」を保存しました。")
        for warning in getattr(form, "warnings", list)():
            messages.warning(request, warning)
        return redirect(self.report)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        context["section"] = self.section
        context["acting_for"] = self.role == Role.STAFF  # a save is 代理入力
        return context


class _ReportActionView(ReportMixin, View):
    """POST-only: run one workflow service and go back to the report with its message."""

    success_message = ""

    def act(self, request):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            self.act(request)
        except services.ReportError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message)
            return redirect(self.get_success_url())
        return redirect(self.get_failure_url())

    def get_success_url(self):
        return self.report.get_absolute_url()

    def get_failure_url(self):
        return self.get_success_url()


class _DecisionView(_ReportActionView):
    """Staff decide on the review page; a refused decision goes back there."""

    allowed_roles = (Role.STAFF,)

    def get_failure_url(self):
        return reverse("reports:review_report", args=[self.report.pk])


class ReportSubmitView(_ReportActionView):
    """GET: the confirmation page (each section's state and changes, what stops the submission,
    warnings); POST: submit."""

    success_message = "報告を提出しました。県の担当者の確認をお待ちください。"
    template_name = "council/reports/submit_confirm.html"

    def get(self, request, *args, **kwargs):
        report = self.report
        if not report.is_editable:
            messages.error(request, f"この報告は「{report.get_status_display()}」のため提出できません。")
            return redirect(report)
        context = {"report": report, "check": selectors.submission_check(report=report)}
        return TemplateResponse(request, self.template_name, context)

    def act(self, request):
        services.report_submit(report=self.report, user=request.user)


class ReportWithdrawView(_ReportActionView):
    """A liaison takes their submitted report back to draft (until staff decide on it)."""

    allowed_roles = (Role.LIAISON,)
    success_message = (
        "提出を取り下げました。報告は作成中に戻りました。修正してから、もう一度提出してください。"
    )

    def act(self, request):
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.report_withdraw(report=self.report, user=request.user, comment=form.cleaned_data["comment"])


class ReportApproveView(_DecisionView):
    success_message = "報告を承認しました。ダッシュボードに反映されます。"

    def act(self, request):
        services.report_approve(report=self.report, user=request.user)


class ReportReturnView(_DecisionView):
    success_message = "報告を差し戻しました。"

    def act(self, request):
        form = ReturnForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.report_return(report=self.report, user=request.user, comment=form.cleaned_data["comment"])


class ReportReopenView(_ReportActionView):
    allowed_roles = (Role.STAFF,)
    success_message = "報告を再開しました（作成中に戻りました）。再承認までダッシュボードには表示されません。"

    def act(self, request):
        form = ReopenForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        services.report_reopen(report=self.report, user=request.user, comment=comment)


class ReviewQueueView(RoleRequiredMixin, TemplateView):
    template_name = "council/reports/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queue"] = selectors.review_queue(user=self.request.user)
        return context


class CompletenessView(RoleRequiredMixin, TemplateView):
    template_name = "council/reports/completeness.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        periods = list(ReportingPeriod.objects.order_by("-fiscal_year", "-quarter"))
        slug = self.request.GET.get("period")
        if slug:
            period = next((p for p in periods if p.slug == slug), None)
            if period is None:
                raise Http404("報告期間がありません。")
        else:
            period = next((p for p in periods if p.accepting_reports), periods[0] if periods else None)
        rows = selectors.completeness(period=period, user=self.request.user) if period else []
        context.update(
            periods=periods, period=period, rows=rows, summary=selectors.completeness_summary(rows)
        )
        return context
