"""資料7 市町のDX推進体制等: a part of the `council` Django app (its models live in the council app's
tables), declared like any agenda app and registered by `CouncilConfig.ready()`."""


def agenda():
    """The app's one declaration (council.framework.registry.AgendaApp)."""
    from council.dx.exports import build_dx_book
    from council.dx.forms import DXStructureForm
    from council.dx.seed import dx_seed_sections, synthetic_dx
    from council.dx.services import DXStructureWriter
    from council.framework import registry

    return registry.AgendaApp(
        package="council.dx",
        title="市町のDX推進体制等",
        order=70,
        material="資料7",
        section=registry.SectionSpec(
            title="DX推進体制",  # what the liaison fills in, named as the report names it
            writer=DXStructureWriter(),
            form_class=DXStructureForm,
            help_text="担当所属、全体方針の策定、全庁的なDX推進体制、外部人材・情報職の確保状況",
        ),
        # the council's own URLs (/council/) serve 資料7's dashboard
        dashboard=registry.DashboardSpec(
            url_name="council:dashboard", description="全体方針・推進体制・外部人材・情報職の整備状況"
        ),
        exporter=registry.ExporterSpec(build=build_dx_book, filename="dx_structure"),
        seed=registry.SeedSpec(sections=dx_seed_sections, synthetic=synthetic_dx),
    )
