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

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from council.framework import cache as dashboard_cache
from council.framework import registry
from council.framework.national import NationalSummary, dashboard_scope, national_context
from council.models import ReportingPeriod
from council.roles import Role
from council.selectors import resolve_period
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
    """`?period=2023-Q1`; default the latest period with approved data of `section_model`.
    `compare=True` adds `?compare=2022-Q1`, by default `compare_with(period, periods)`."""

    def __init__(self, section_model, compare_with: Callable[[Any, list], Any] | None = None):
        self.section_model = section_model
        self.compare_with = compare_with

    def resolve(self, query) -> tuple[Selected | None, dict]:
        try:
            period, periods = resolve_period(self.section_model, query.get("period"))
        except ReportingPeriod.DoesNotExist:
            raise Http404("報告期間がありません。") from None
        context = {"period": period, "periods": periods}
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
        return Selected(period, periods, compare), context


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

    def resolve(self, query) -> tuple[Selected | None, dict]:
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
        fragment = dashboard_cache.fragment(
            request,
            lambda: render_to_string(self.get_template_names(), self.get_context_data(**kwargs), request),
        )
        return render(request, self.page_template, {"fragment": fragment, "title": self.app.title})

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

    @cached_property
    def dashboards(self):
        """The app's `dashboards` module."""
        return import_module(f"{self.app.package}.dashboards")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            scope=self.scope,
            app=self.app,
            export_key=self.app_key if self.app.exporter else "",
            can_export=self.role == Role.STAFF and self.app.exporter is not None,
            **kwargs,
        )
        selected, selection_context = self.selection.resolve(self.request.GET)
        context.update(selection_context)
        if selected is None:
            return context
        if self.scope.national:
            summarise = type(self).summary or self.dashboards.national_summary
            summary = summarise(selected, self.scope.organisations)
            return context | national_context(
                self.scope, summary, key=self.app_key, title=self.national_title
            )
        organisations = self.scope.organisations
        if self.municipalities_only:
            organisations = organisations.reporting()
        build = type(self).builder or self.dashboards.dashboard_data
        # `expected` is counted only by the templates that show it (the template calls the method)
        return context | {"expected": organisations.count} | build(selected, organisations)
