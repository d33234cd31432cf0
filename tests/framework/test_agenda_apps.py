"""Every agenda app is made the same way: one declaration, the same modules with the same meanings,
one key everywhere. A seventh app is made by copying one of these; this test says what it needs."""

import importlib

import pytest
from django.template.loader import get_template
from django.urls import resolve, reverse

from council.framework import registry
from council.framework.dashboards import DashboardView
from council.framework.import_views import ImportView
from council.framework.section_imports import SectionImporter
from council.framework.sections import SectionWriter

APPS = registry.apps.all()

#: what each module holds, checked by name below
MEANINGS = {
    "apps": ("agenda",),
    "dashboards": ("dashboard_data", "national_summary"),
}


def test_the_seven_agenda_apps_in_the_materials_order():
    assert [(app.material, app.key) for app in APPS] == [
        ("資料1", "standardization"),
        ("資料2", "online_procedures"),
        ("資料3", "rpa"),
        ("資料4", "analog_review"),
        ("資料5", "mynumber"),
        ("資料6", "programmes"),
        ("資料7", "dx"),
    ]


@pytest.mark.parametrize("app", APPS, ids=lambda app: app.key)
def test_every_app_has_the_same_modules(app):
    missing = []
    for name in app.modules():
        try:
            module = importlib.import_module(f"{app.package}.{name}")
        except ModuleNotFoundError:
            missing.append(name)
            continue
        for attribute in MEANINGS.get(name, ()):
            assert hasattr(module, attribute), f"{app.package}.{name} has no {attribute}"
    assert not missing, f"{app.package} lacks {missing}"


@pytest.mark.parametrize("app", APPS, ids=lambda app: app.key)
def test_one_declaration_one_key_everywhere(app):
    declared = importlib.import_module(f"{app.package}.apps").agenda()
    assert declared == app  # registered exactly as its apps.py declares it
    assert registry.dashboards.get(app.key).material == app.material
    assert registry.seeds.get(app.key)
    if app.section is not None:
        section = registry.sections.get(app.key)
        assert section.material == app.material
        assert isinstance(section.writer, SectionWriter)
        assert importlib.import_module(f"{app.package}.services").__name__ == type(section.writer).__module__
    if app.exporter is not None:
        assert registry.exporters.get(app.key).title == app.title
    if app.importer is not None and issubclass(app.importer, SectionImporter):
        assert app.importer.section_key == app.key


@pytest.mark.parametrize("app", APPS, ids=lambda app: app.key)
def test_the_dashboard_is_a_declaration_on_the_one_base_view(app):
    view = resolve(reverse(registry.dashboards.get(app.key).url_name)).func.view_class
    assert issubclass(view, DashboardView)
    assert view.app_key == app.key
    assert view.__dict__.keys() >= {"app_key", "selection", "national_title"}
    assert "get_context_data" not in view.__dict__ and "get" not in view.__dict__
    get_template(f"{app.key}/dashboard.html")  # the conventional fragment exists


@pytest.mark.parametrize("app", [a for a in APPS if a.importer], ids=lambda app: app.key)
def test_the_import_page_uses_the_declared_importer(app):
    views = importlib.import_module(f"{app.package}.views")
    import_views = [
        v
        for v in vars(views).values()
        if isinstance(v, type) and issubclass(v, ImportView) and v is not ImportView
    ]
    assert [v.importer_class for v in import_views] == [app.importer]
