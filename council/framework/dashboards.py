"""One base view for every agenda app's dashboard; an app's view is a declaration.

A dashboard view names its app, how the viewer picks what to show (`selection`: a reporting period,
two periods compared, a fiscal year, a statistics date), the function that builds the page's data
for the viewer's organisations (`builder`) and the one that summarises it by prefecture for a
national viewer (`summary`). The rendered dashboard is cached per data version, page and viewer
scope (`council.framework.cache`); the national branch and the cache live here only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from council.framework import cache as dashboard_cache
from council.framework import coverage, registry
from council.framework.national import NationalSummary, dashboard_scope, national_context
from council.models import ReportingPeriod
from council.roles import Role
from council.selectors import periods_with_approved
from council.views.base import RoleRequiredMixin

ALL_ROLES = (Role.STAFF, Role.LIAISON, Role.MEMBER)


@dataclass(frozen=True)
class Selected:
    """What a dashboard shows: `current` (a ReportingPeriod, a FiscalYear, a Snapshot), the choices
    it was picked from, and the period it is compared with, if any."""

    current: Any
    choices: Sequence[Any] = ()
    compare: Any = None


class PeriodSelection:
    """`?period=2023-Q1`; by default the period of the viewer's council's next meeting, else the
    latest period whose expected reports are all approved (council.framework.coverage).
    `compare=True` adds `?compare=2022-Q1`, by default `compare_with(period, periods)`.

    `organisations` are the organisations whose reports are expected (the dashboard's); without
    them (a page of one municipality) the default is the latest period with approved data."""

    def __init__(self, section_model, compare_with: Callable[[Any, list], Any] | None = None):
        self.section_model = section_model
        self.compare_with = compare_with

    def periods(self) -> list[ReportingPeriod]:
        return periods_with_approved(self.section_model)

    def resolve(
        self, query, *, app_key: str = "", organisations=None, council: int | None = None
    ) -> tuple[Selected | None, dict]:
        periods = self.periods()
        named = self._named(query)
        context: dict[str, Any] = {"periods": periods}
        if organisations is None:
            period = named or (periods[-1] if periods else None)
            context["period"] = period
            return self._compare(query, period, periods, context)
        counts = coverage.approved_counts(self.section_model, organisations, periods)
        expected = organisations.count()
        for p in periods:  # the selector shows each period's coverage
            p.coverage = coverage.Coverage(counts.get(p.pk, 0), expected)
        if named is not None:
            period, reason = named, ""
        else:
            chosen = coverage.meeting_periods(app_key, [council]).get(council, "") if council else ""
            period, reason = coverage.default_period(periods, counts, expected, chosen)
        context |= {"period": period, "period_reason": coverage.REASON_TEXT.get(reason, "")}
        if period is not None:
            context["coverage"] = coverage.Coverage(counts.get(period.pk, 0), expected)
        return self._compare(query, period, periods, context, counts=counts, expected=expected)

    @staticmethod
    def _named(query) -> ReportingPeriod | None:
        """The period `?period=` names, if any (a 404 for one that does not exist)."""
        slug = query.get("period")
        try:
            return ReportingPeriod.objects.get_by_slug(slug) if slug else None
        except ReportingPeriod.DoesNotExist:
            raise Http404("報告期間がありません。") from None

    def _compare(self, query, period, periods, context, *, counts=None, expected=0):
        if period is None:
            return None, context
        compare = None
        if self.compare_with is not None:
            slug = query.get("compare")
            try:
                compare = (
                    ReportingPeriod.objects.get_by_slug(slug) if slug else self.compare_with(period, periods)
                )
            except ReportingPeriod.DoesNotExist:
                raise Http404("比較する報告期間がありません。") from None
            context["compare"] = compare
            if compare is not None and counts is not None:
                context["compare_coverage"] = coverage.Coverage(counts.get(compare.pk, 0), expected)
        return Selected(period, periods, compare), context

    def resolve_by_prefecture(self, query, *, app_key: str, organisations) -> list[tuple[Selected, dict]]:
        """The national view: each prefecture on its own default period (its council's next meeting,
        else its latest complete period), or all on `?period`. Returns (selection, {prefecture pk:
        Coverage}) groups, one per period shown."""
        periods = self.periods()
        named = self._named(query)
        counts = coverage.approved_counts_by_prefecture(self.section_model, organisations, periods)
        expected = coverage.expected_by_prefecture(organisations)
        chosen = {} if named else coverage.meeting_periods(app_key, None)
        groups: dict[int, dict[int, coverage.Coverage]] = {}
        for pref, n in expected.items():
            if named is not None:
                period = named
            else:
                own = {p.pk: counts.get((pref, p.pk), 0) for p in periods}
                have = [p for p in periods if own[p.pk]]
                period, _ = coverage.default_period(have, own, n, chosen.get(pref, ""))
            if period is not None:
                groups.setdefault(period.pk, {})[pref] = coverage.Coverage(
                    counts.get((pref, period.pk), 0), n
                )
        by_pk = {p.pk: p for p in periods}
        if named is not None:
            by_pk[named.pk] = named
        result = []
        for pk, coverages in sorted(
            groups.items(), key=lambda item: (by_pk[item[0]].fiscal_year, by_pk[item[0]].quarter)
        ):
            period = by_pk[pk]
            selected, _ = self._compare(query, period, periods, {})
            assert selected is not None
            result.append((selected, coverages))
        return result


class LookupSelection:
    """A query parameter resolved by the app (`resolve(slug)` returns the object or None when there
    is no data, raises LookupError for an unknown slug), put in the context under `name`."""

    def __init__(
        self,
        *,
        parameter: str,
        name: str,
        choices_name: str,
        resolve: Callable,
        choices: Callable,
        missing: str,
    ):
        self.parameter, self.name, self.choices_name = parameter, name, choices_name
        self.resolve_slug, self.choices, self.missing = resolve, choices, missing

    def resolve(self, query, **kwargs) -> tuple[Selected | None, dict]:
        try:
            current = self.resolve_slug(query.get(self.parameter))
        except LookupError:
            raise Http404(self.missing) from None
        # the choices are for the selector only: the template calls this when it draws it
        context = {self.name: current, self.choices_name: self.choices}
        return (Selected(current) if current is not None else None), context


class DashboardView(RoleRequiredMixin, TemplateView):
    """An agenda app's dashboard. A subclass declares `app_key`, `selection` and `national_title`;
    by convention the fragment is `<key>/dashboard.html`, the data come from the app's
    `dashboards.dashboard_data` and the national summary from its `dashboards.national_summary`
    (set `template_name`, `builder` or `summary` to differ)."""

    allowed_roles = ALL_ROLES
    page_template = "framework/dashboard_page.html"
    app_key = ""
    selection: PeriodSelection | LookupSelection
    #: (selected, organisations) → the template's data for the viewer's organisations
    builder: Callable[[Selected, Any], dict] | None = None
    #: (selected, organisations) → the national summary by prefecture
    summary: Callable[[Selected, Any], NationalSummary] | None = None
    national_title = ""
    #: municipalities only (the prefecture's own row is not part of the app's table)
    municipalities_only = True

    def get(self, request, *args, **kwargs):
        def build() -> str:
            fragment = render_to_string(self.get_template_names(), self.get_context_data(**kwargs), request)
            context = {"fragment": fragment, "title": self.app.title} | dashboard_cache.SHARED_PAGE
            return render_to_string(self.page_template, context, request)

        # the page as every viewer of this scope sees it (cached), then this viewer's own parts; a
        # shared proxy must not keep it (it names the person and holds their CSRF token)
        response = HttpResponse(dashboard_cache.personal(request, dashboard_cache.page(request, build)))
        patch_cache_control(response, private=True)
        return response

    @cached_property
    def expected_organisations(self):
        """The organisations whose reports the page expects."""
        return self.expected_among(self.scope.organisations)

    @classmethod
    def expected_among(cls, organisations):
        """Of `organisations`, those whose reports the dashboard expects (the municipalities only,
        unless the app's table has the prefecture's own row)."""
        return organisations.reporting() if cls.municipalities_only else organisations

    @cached_property
    def resolved(self) -> tuple[Selected | None, dict]:
        from council.roles import council_of

        return self.selection.resolve(
            self.request.GET,
            app_key=self.app_key,
            organisations=self.expected_organisations,
            council=self.scope.selected.pk if self.scope.selected else council_of(self.request.user),
        )

    @cached_property
    def national_groups(self) -> list[tuple[Selected, dict]]:
        assert isinstance(self.selection, PeriodSelection)
        return self.selection.resolve_by_prefecture(
            self.request.GET, app_key=self.app_key, organisations=self.expected_organisations
        )

    def get_template_names(self) -> list[str]:
        return [self.template_name or f"{self.app_key}/dashboard.html"]

    @cached_property
    def scope(self):
        """Whose data the page shows, and whether it is the national view summarised by prefecture
        (council.framework.national); `?pref=35` narrows a national viewer to one prefecture."""
        return dashboard_scope(self.request.user, self.request.GET)

    @cached_property
    def app(self) -> registry.AgendaApp:
        return registry.apps.get(self.app_key)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            scope=self.scope,
            app=self.app,
            export_key=self.app_key if self.app.exporter else "",
            can_export=self.role == Role.STAFF and self.app.exporter is not None,
            **kwargs,
        )
        if self.scope.national and isinstance(self.selection, PeriodSelection):
            return context | self.national_period_context()
        selected, selection_context = self.resolved
        context.update(selection_context)
        if selected is None:
            return context
        if self.scope.national:
            summarise = type(self).summary or self.app_dashboards().national_summary
            summary = summarise(selected, self.scope.organisations)
            return context | national_context(
                self.scope, summary, key=self.app_key, title=self.national_title
            )
        return self.figures(selected, self.expected_organisations, context)

    @classmethod
    def figures(cls, selected: Selected, organisations, context: dict) -> dict:
        """The page's data for the expected organisations with its headline cards
        (`dashboards.headline_cards`), computed once for the page and a meeting's material."""
        build = cls.builder or cls.app_dashboards().dashboard_data
        # `expected` is counted only where it is shown (the template or a card calls the method)
        data = context | {"expected": organisations.count} | build(selected, organisations)
        return data | {"cards": cls.app_dashboards().headline_cards(data)}

    @classmethod
    def app_dashboards(cls):
        """The app's `dashboards` module."""
        return import_module(f"{registry.apps.get(cls.app_key).package}.dashboards")

    @classmethod
    def material_figures(cls, slug: str, organisations) -> dict | None:
        """What the dashboard shows of `organisations` (a council's prefecture and its municipalities)
        for the period, year or date `slug`, as the page with `?period=slug` (or the app's parameter)
        shows it: the same selection, coverage, data and cards. None when there is nothing to show."""
        expected = cls.expected_among(organisations)
        parameter = getattr(cls.selection, "parameter", "period")
        query = QueryDict(mutable=True)
        if slug:
            query[parameter] = slug
        try:
            selected, context = cls.selection.resolve(
                query, app_key=cls.app_key, organisations=expected, council=None
            )
        except Http404:
            return None
        if selected is None:
            return None
        return cls.figures(selected, expected, context)

    def national_period_context(self) -> dict:
        """The national view: each prefecture summarised on its own period (or all on `?period`),
        with the period and its coverage beside each prefecture's measures."""
        groups = self.national_groups
        periods = self.selection.periods()
        context: dict[str, Any] = {"periods": periods}
        if not groups:
            context["period"] = None
            return context
        summarise = type(self).summary or self.app_dashboards().national_summary
        merged: NationalSummary | None = None
        for selected, coverages in groups:
            organisations = self.scope.organisations.filter(
                Q(pk__in=list(coverages)) | Q(prefecture_id__in=list(coverages))
            )
            summary = summarise(selected, organisations)
            if merged is None:
                merged = NationalSummary(
                    columns=summary.columns + ["報告期間", "承認済み団体"],
                    values={},
                    headline=summary.headline,
                    note=summary.note,
                )
            for pref, cov in coverages.items():
                values = summary.values.get(pref)
                if values is not None:
                    merged.values[pref] = list(values) + [selected.current.label, cov.label]
        assert merged is not None
        latest = groups[-1][0]
        context |= {
            "period": latest.current,
            "compare": latest.compare,
            "national_periods": [s.current for s, _ in groups],
        }
        if not self.request.GET.get("period"):
            context["period_reason"] = (
                "都道府県ごとに、次回の会議の資料として選ばれた期間、または全団体の報告が承認済みの最新の期間を表示しています。"
            )
        return context | national_context(self.scope, merged, key=self.app_key, title=self.national_title)
