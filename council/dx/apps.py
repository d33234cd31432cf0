"""資料7 市町のDX推進体制等: a part of the `council` Django app (its models live in the council app's
tables), declared as an agenda app like the others and registered by `CouncilConfig.ready()`."""


def agenda():
    """資料7 市町のDX推進体制等."""
    from council.dx.dashboards import dx_charts
    from council.dx.exports import build_dx_book
    from council.dx.forms import DXStructureForm
    from council.dx.models import DXStructure
    from council.dx.seed import dx_seed_sections, synthetic_dx
    from council.dx.services import DXStructureWriter
    from council.framework import registry

    return registry.AgendaApp(
        key="dx",
        package="council.dx",
        title="市町のDX推進体制等",
        order=70,
        material="資料7",
        section=registry.SectionSpec(
            title="DX推進体制",
            writer=DXStructureWriter(),
            form_class=DXStructureForm,
            detail_template="dx/section_detail.html",
            help_text="担当所属、全体方針の策定、全庁的なDX推進体制、外部人材・情報職の確保状況",
        ),
        dashboard=registry.DashboardSpec(
            url_name="council:dashboard",
            description="全体方針・推進体制・外部人材・情報職の整備状況",
        ),
        exporter=registry.ExporterSpec(
            filename="dx_structure", build=build_dx_book, charts=dx_charts, section_model=DXStructure
        ),
        seed=registry.SeedSpec(order=70, sections=dx_seed_sections, synthetic=synthetic_dx),
    )
