"""資料6 pages: the dashboard (a declaration), an offer with its registrations, and the home page's
block of open offers.

A liaison registers for their own organisation only: naming another organisation answers 404, as
every other organisation's object does. Staff open and close an offer and see who took it up."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView

from council.framework.dashboards import DashboardView, LookupSelection
from council.models import Municipality
from council.roles import Role, role_of
from council.views.base import RoleRequiredMixin
from programmes import selectors, services
from programmes.models import Offer, Registration


class ProgrammesDashboardView(DashboardView):
    app_key = "programmes"
    selection = LookupSelection(
        parameter="year",
        name="year",
        choices_name="years",
        resolve=selectors.resolve_fiscal_year,
        choices=selectors.fiscal_years,
        missing="その年度の県の取組はありません。",
    )
    national_title = "県の事業"
    municipalities_only = False  # the prefecture's own data head the page


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label="登録の種類",
        choices=[c for c in Registration.Kind.choices if c[0] != Registration.Kind.ATTENDED],
        initial=Registration.Kind.APPLICATION,
    )
    participants = forms.IntegerField(
        label="参加予定人数",
        min_value=0,
        max_value=999,
        initial=0,
        required=False,
        error_messages={
            "min_value": "参加人数は0以上で入力してください。",
            "invalid": "人数は数字で入力してください。",
        },
    )
    note = forms.CharField(label="備考", max_length=200, required=False)


class StaffRegistrationForm(RegistrationForm):
    """Staff record a registration or attendance for any municipality in scope."""

    kind = forms.ChoiceField(label="登録の種類", choices=Registration.Kind.choices)


class OpenForm(forms.Form):
    opens = forms.DateField(
        label="受付開始日", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes = forms.DateField(
        label="受付締切日", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OfferView(RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.STAFF, Role.LIAISON, Role.MEMBER)
    template_name = "programmes/offer.html"

    def load_objects(self, request, *args, **kwargs):
        self.offer = get_object_or_404(Offer.objects.for_user(request.user), pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        registrations = (
            Registration.objects.for_user(user).filter(offer=self.offer).select_related("organisation")
        )
        own = None
        if self.role == Role.LIAISON:
            own = next(
                (r for r in registrations if r.organisation_id == user.portal_profile.organisation_id), None
            )
        context.update(
            offer=self.offer,
            is_staff=self.role == Role.STAFF,
            is_liaison=self.role == Role.LIAISON,
            registrations=registrations,
            own=own,
            organisation=user.portal_profile.organisation if self.role == Role.LIAISON else None,
            form=kwargs.get("form")
            or RegistrationForm(
                initial={"kind": own.kind, "participants": own.participants, "note": own.note}
                if own
                else None
            ),
            staff_form=kwargs.get("staff_form") or StaffRegistrationForm(),
            open_form=kwargs.get("open_form")
            or OpenForm(initial={"opens": self.offer.opens, "closes": self.offer.closes}),
            municipalities=Municipality.objects.for_user(user).reporting().order_by("display_order", "code")
            if self.role == Role.STAFF
            else (),
            open_now=self.offer.open_on(timezone.localdate()),
        )
        return context

    def post(self, request, pk):
        action = request.POST.get("action", "register")
        if action in ("open", "close"):
            return self._open_or_close(request, action)
        organisation = self._organisation(request)
        if action == "withdraw":
            services.registration_withdraw(offer=self.offer, organisation=organisation, user=request.user)
            messages.success(request, f"{organisation}の登録を取り消しました。")
            return redirect(self.offer)
        form_class = StaffRegistrationForm if self.role == Role.STAFF else RegistrationForm
        form = form_class(request.POST)
        if not form.is_valid():
            key = "staff_form" if self.role == Role.STAFF else "form"
            return self.render_to_response(self.get_context_data(**{key: form}), status=400)
        try:
            services.registration_save(
                offer=self.offer,
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                participants=form.cleaned_data["participants"] or 0,
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except services.ProgrammeError as error:
            messages.error(request, error.message)
            return redirect(self.offer)
        messages.success(
            request, f"{organisation}の{Registration.Kind(form.cleaned_data['kind']).label}を登録しました。"
        )
        return redirect(self.offer)

    def _organisation(self, request) -> Municipality:
        """The organisation acted for: a liaison's own (naming another is a 404); for staff, the
        municipality chosen, from their scope only."""
        scope = Municipality.objects.for_user(request.user).reporting()
        if self.role == Role.MEMBER:
            raise Http404("このページはありません。")
        named = request.POST.get("organisation")
        if self.role == Role.LIAISON:
            own = request.user.portal_profile.organisation
            if named and named != str(own.pk):
                raise Http404("この団体の登録はできません。")
            return own
        if not (named and named.isdigit()):
            raise Http404("団体を選んでください。")
        return get_object_or_404(scope, pk=named)

    def _open_or_close(self, request, action):
        if self.role != Role.STAFF:
            raise Http404("このページはありません。")
        if action == "close":
            services.offer_close(offer=self.offer, user=request.user)
            messages.success(request, f"「{self.offer.title}」の受付を終了しました。")
            return redirect(self.offer)
        form = OpenForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(open_form=form), status=400)
        try:
            services.offer_open(
                offer=self.offer,
                opens=form.cleaned_data["opens"],
                closes=form.cleaned_data["closes"],
                user=request.user,
            )
        except services.ProgrammeError as error:
            messages.error(request, error.message)
            return redirect(self.offer)
        messages.success(
            request, f"「{self.offer.title}」の受付を開始しました。市町のトップページに表示されます。"
        )
        return redirect(self.offer)


def home_context(request) -> dict | None:
    """The home page's block: the council's open offers with their deadlines and, for a liaison,
    what their organisation registered and its Y-BASE support cases."""
    user = request.user
    role = role_of(user)
    if role is None:
        return None
    offers = list(selectors.open_offers(user=user, today=timezone.localdate())[:20])
    context: dict = {"open_offers": offers, "is_liaison": role == Role.LIAISON}
    if role == Role.LIAISON:
        organisation_id = user.portal_profile.organisation_id
        registered = dict(
            Registration.objects.for_user(user)
            .filter(offer__in=[o.pk for o in offers])
            .values_list("offer_id", "kind")
        )
        for offer in offers:
            offer.own_kind = Registration.Kind(registered[offer.pk]).label if offer.pk in registered else ""
        from programmes.models import SupportCase

        context["cases"] = list(SupportCase.objects.for_user(user).filter(organisation_id=organisation_id))
    return context
