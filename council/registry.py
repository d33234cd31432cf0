"""Registries through which feature apps plug into the council core.

Each feature app registers its report section, dashboard and Excel exporter in its
`AppConfig.ready()`. `council` itself imports no feature app: it only iterates these registries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    from django import forms
    from django.db.models import QuerySet

    from council.charts import Chart
    from council.models import ReportingPeriod, ReportSection, StatusReport
    from council.xlsx import Sheet

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


@dataclass(frozen=True)
class SectionSpec:
    """An app's part of the quarterly report."""

    key: str
    title: str
    model: type[ReportSection]
    form_class: type[forms.ModelForm]
    order: int = 100
    material: str = ""  # 資料番号 in the council materials, e.g. "資料7"
    detail_template: str = "council/sections/generic_detail.html"
    form_template: str = "council/sections/generic_form.html"
    help_text: str = ""
    #: prefectures report this section too (their own review, e.g. analog regulations)
    for_prefectures: bool = False
    #: a report cannot be submitted without it (optional sections: nothing to report is possible)
    required: bool = True

    def applies_to(self, organisation) -> bool:
        return self.for_prefectures or organisation.kind != "prefecture"

    def instance_for(self, report: StatusReport):
        return self.model.objects.filter(report=report).first()


@dataclass(frozen=True)
class DashboardSpec:
    key: str
    title: str
    url_name: str
    order: int = 100
    material: str = ""
    description: str = ""


@dataclass(frozen=True)
class ExporterSpec:
    """An app's Excel book: `build(period, municipalities)` returns its sheets for the organisations
    in the given (already scoped) queryset; the period is the latest with approved data of
    `section_model` unless the caller names one."""

    key: str  # the app label, as in `manage.py export_xlsx <app_label>`
    title: str
    filename: str  # without extension; the period slug is appended
    build: Callable[[ReportingPeriod, QuerySet], Iterable[Sheet]]
    section_model: type[ReportSection] | None = None
    order: int = 100
    #: for books not keyed by reporting period (e.g. statistics snapshots): slug or None → the
    #: object handed to `build` (with `.slug` and `.label`), None when there is no data; raises
    #: LookupError with a Japanese message for an unknown slug
    resolve: Callable[[str | None], Any] | None = None
    #: the material's figures for the same (period, organisations): what a meeting shows and freezes
    charts: Callable[[Any, QuerySet], list[Chart]] | None = None


class SeedSection(NamedTuple):
    """One section of an approved seed report: whose, which period, which section, what data."""

    municipality_code: str
    fiscal_year: int
    quarter: int
    section_key: str
    data: dict[str, Any]


@dataclass(frozen=True)
class SeedSpec:
    """An app's seed data: fixtures for its master data (loaded in `order`), then the tables of the
    council materials as sections of approved reports."""

    key: str
    order: int = 100
    fixtures: tuple[Path, ...] = ()
    sections: Callable[[], Iterable[SeedSection]] | None = None
    #: fills the app's section for synthetic approved reports (benchmarks, query-count tests)
    synthetic: Callable[[list[StatusReport]], None] | None = None
    #: loads seed data that are not report sections (e.g. statistics); idempotent; returns a count
    load: Callable[[], int] | None = None


sections: Registry[SectionSpec] = Registry("section")
dashboards: Registry[DashboardSpec] = Registry("dashboard")
exporters: Registry[ExporterSpec] = Registry("exporter")
seeds: Registry[SeedSpec] = Registry("seed")
