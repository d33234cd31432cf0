"""資料2 行政手続のオンライン化."""

from council.framework import registry


def agenda():
    """The app's one declaration (council.framework.registry.AgendaApp)."""
    from online_procedures.exports import build_online_book
    from online_procedures.forms import OnlineProceduresForm
    from online_procedures.imports import OnlineCountImporter
    from online_procedures.seed import FIXTURES, online_seed_sections, synthetic_online
    from online_procedures.services import OnlineProceduresWriter

    return registry.AgendaApp(
        package="online_procedures",
        title="行政手続のオンライン化",
        order=20,
        material="資料2",
        section=registry.SectionSpec(
            writer=OnlineProceduresWriter(),
            form_class=OnlineProceduresForm,
            help_text="子育て・介護・被災者支援の手続のうち、マイナポータルからオンラインで申請できる手続の数を入力します。"
            "手続ごとにチェックすると、手続数はチェックした数になります。",
        ),
        dashboard=registry.DashboardSpec(description="マイナポータル利用手続数の比較、手続ごとの対応状況"),
        exporter=registry.ExporterSpec(build=build_online_book),
        importer=OnlineCountImporter,
        seed=registry.SeedSpec(
            fixtures=(FIXTURES / "procedures.json",),
            sections=online_seed_sections,
            synthetic=synthetic_online,
        ),
    )


class OnlineProceduresConfig(registry.AgendaAppConfig):
    name = "online_procedures"
    verbose_name = "行政手続のオンライン化"
