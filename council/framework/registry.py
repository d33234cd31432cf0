"""Registries through which agenda apps plug into the council core.

Each agenda app declares itself once, as an `AgendaApp` built by the `agenda()` function of its
`apps.py` and registered from its `AppConfig.ready()`: its key, title, order, material number, and
its report section, dashboard, Excel exporter, importer and seed. `register_app` files the parts in
the registries below under the app's one key; `council` itself imports no agenda app, it only
iterates these registries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from django.apps import AppConfig

if TYPE_CHECKING:
    from django import forms
    from django.db.models import QuerySet

    from council.framework.sections import SectionWriter
    from council.framework.xlsx import Sheet
    from council.models import ReportingPeriod, ReportSection, StatusReport

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered set of specs keyed by `spec.key`."""

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, spec: T) -> T:
        key = spec.key  # type: ignore[attr-defined]
        if key in self._items and self._items[key] != spec:
            raise ValueError(f"{self.kind} {key!r} is registered twice")
        self._items[key] = spec
        return spec

    def get(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def all(self) -> list[T]:
        return sorted(self._items.values(), key=lambda spec: (spec.order, spec.key))  # type: ignore[attr-defined]

    def for_organisation(self, organisation) -> list[T]:
        """The sections an organisation's report has (section registry only)."""
        return [spec for spec in self.all() if spec.applies_to(organisation)]  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class SectionSpec:
    """An app's part of the quarterly report."""

    #: validates and writes the section on every path (council.framework.sections.SectionWriter)
    writer: SectionWriter
    form_class: type[forms.Form]
    #: filled in from the app's declaration
    key: str = ""
    title: str = ""
    order: int = 100
    material: str = ""  # 資料番号 in the council materials, e.g. "資料7"
    #: templates, by convention `<key>/section_detail.html` and `<key>/section_form.html` where the
    #: app has them, else the framework's generic ones (`{% include %}` takes the first that exists)
    detail_template: tuple[str, ...] = ()
    form_template: tuple[str, ...] = ()
    help_text: str = ""
    #: prefectures report this section too (their own review, e.g. analog regulations)
    for_prefectures: bool = False
    #: a report cannot be submitted without it (optional sections: nothing to report is possible)
    required: bool = True
    #: with `for_prefectures`: whether a prefecture's report needs it too (資料1: optional for them)
    required_for_prefectures: bool = True

    @property
    def model(self) -> type[ReportSection]:
        return self.writer.model

    def applies_to(self, organisation) -> bool:
        return self.for_prefectures or organisation.kind != "prefecture"

    def is_required_for(self, organisation) -> bool:
        """Whether a report of `organisation` cannot be submitted without this section."""
        return self.required and (self.required_for_prefectures or organisation.kind != "prefecture")

    def instance_for(self, report: StatusReport):
        return self.model.objects.filter(report=report).first()


@dataclass(frozen=True, kw_only=True)
class DashboardSpec:
    url_name: str = ""  # by convention "<key>:dashboard"
    key: str = ""
    title: str = ""
    order: int = 100
    material: str = ""
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class ExporterSpec:
    """An app's Excel book: `build(period, municipalities)` returns its sheets for the organisations
    in the given (already scoped) queryset; the period is the latest with approved data of
    `section_model` unless the caller names one."""

    build: Callable[[ReportingPeriod, QuerySet], Iterable[Sheet]]
    filename: str = ""  # without extension (by convention the key); the period slug is appended
    key: str = ""  # the app's key, as in `manage.py export_xlsx <key>`
    title: str = ""
    #: the section whose approved periods the book offers (by convention the app's section)
    section_model: type[ReportSection] | None = None
    order: int = 100
    #: for books not keyed by reporting period (e.g. statistics snapshots): slug or None → the
    #: object handed to `build` (with `.slug` and `.label`), None when there is no data; raises
    #: LookupError with a Japanese message for an unknown slug
    resolve: Callable[[str | None], Any] | None = None


class SeedSection(NamedTuple):
    """One section of an approved seed report: whose, which period, which section, what data."""

    municipality_code: str
    fiscal_year: int
    quarter: int
    section_key: str
    data: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class SeedSpec:
    """An app's seed data: fixtures for its master data (loaded in `order`), then the tables of the
    council materials as sections of approved reports."""

    key: str = ""
    order: int | None = None  # by convention the app's order
    fixtures: tuple[Path, ...] = ()
    sections: Callable[[], Iterable[SeedSection]] | None = None
    #: fills the app's section for synthetic approved reports (benchmarks, query-count tests)
    synthetic: Callable[[list[StatusReport]], None] | None = None
    #: loads seed data that are not report sections (e.g. statistics); idempotent; returns a count
    load: Callable[[], int] | None = None


@dataclass(frozen=True, kw_only=True)
class AgendaApp:
    """The one declaration of an agenda app (資料N): everything else about it is derived from here.

    Its `key`, the last part of its package's name, is used everywhere the app is named: the
    report section's URL, the dashboard, the Excel exporter (`manage.py export_xlsx <key>`), a
    meeting material's binding and the seed.
    """

    package: str  # the Python package holding the app's modules, e.g. "standardization", "council.dx"
    title: str
    order: int
    material: str  # 資料番号 in the council materials, e.g. "資料1"
    seed: SeedSpec
    dashboard: DashboardSpec = DashboardSpec()
    #: its part of the quarterly report (None: the data do not come from reports, e.g. 資料5)
    section: SectionSpec | None = None
    exporter: ExporterSpec | None = None
    #: the long-format importer class (council.framework.imports.Importer), if the app has one
    importer: type | None = None
    #: receivers of `council.signals.report_transitioning` (data that follow the workflow)
    on_transition: tuple[Callable[..., None], ...] = ()

    @property
    def key(self) -> str:
        return self.package.rsplit(".", 1)[-1]

    #: the modules every agenda app has, with the same meanings (tests/framework/test_agenda_apps.py)
    MODULES = (
        "apps",
        "models",
        "admin",
        "selectors",
        "dashboards",
        "charts",
        "exports",
        "seed",
        "views",
        "urls",
    )
    #: modules an app has when it declares the matching part
    SECTION_MODULES = ("forms", "services")
    IMPORT_MODULES = ("imports",)

    def modules(self) -> tuple[str, ...]:
        return (
            self.MODULES
            + (self.SECTION_MODULES if self.section else ())
            + (self.IMPORT_MODULES if self.importer else ())
        )


apps: Registry[AgendaApp] = Registry("agenda app")
sections: Registry[SectionSpec] = Registry("section")
dashboards: Registry[DashboardSpec] = Registry("dashboard")
exporters: Registry[ExporterSpec] = Registry("exporter")
seeds: Registry[SeedSpec] = Registry("seed")


class AgendaAppConfig(AppConfig):
    """The AppConfig of an agenda app: registers the `agenda()` declaration of its apps.py once.
    (Subclass it as `registry.AgendaAppConfig`: a class imported into apps.py by name would count as
    a second configuration there.)"""

    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_app(import_module(f"{self.name}.apps").agenda())


def register_app(app: AgendaApp) -> AgendaApp:
    """File an app's parts in the registries under its key, with the conventions filled in."""
    from council.signals import report_transitioning

    key, identity = app.key, {"key": app.key, "title": app.title, "order": app.order}
    apps.register(app)
    if app.section is not None:  # a section may name itself as the liaison fills it in (資料7: DX推進体制)
        section = app.section
        sections.register(
            replace(
                section,
                **(identity | {"title": section.title or app.title}),
                material=app.material,
                detail_template=section.detail_template
                or (f"{key}/section_detail.html", "framework/section_detail.html"),
                form_template=section.form_template
                or (f"{key}/section_form.html", "framework/section_form.html"),
            )
        )
    dashboard = app.dashboard
    dashboards.register(
        replace(
            dashboard, **identity, material=app.material, url_name=dashboard.url_name or f"{key}:dashboard"
        )
    )
    if app.exporter is not None:
        exporter = app.exporter
        section_model = exporter.section_model
        if section_model is None and exporter.resolve is None and app.section is not None:
            section_model = app.section.model
        exporters.register(
            replace(exporter, **identity, filename=exporter.filename or key, section_model=section_model)
        )
    seeds.register(replace(app.seed, key=key, order=app.order if app.seed.order is None else app.seed.order))
    for receiver in app.on_transition:
        report_transitioning.connect(receiver, dispatch_uid=f"{key}:{receiver.__qualname__}")
    return app


#: blocks an app adds to the home page: (template name, context(request) → dict or None to show
#: nothing), drawn in order by `{% home_blocks %}` (council.templatetags.home_blocks)
home_blocks: list[tuple[str, Callable[[Any], dict | None]]] = []


def add_home_block(template: str, context: Callable[[Any], dict | None]) -> None:
    if (template, context) not in home_blocks:
        home_blocks.append((template, context))
