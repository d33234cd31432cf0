from django.apps import AppConfig


def agenda():
    """資料2 行政手続のオンライン化."""
    from council.framework import registry
    from online_procedures.dashboards import online_charts
    from online_procedures.exports import build_online_book
    from online_procedures.forms import OnlineProceduresForm
    from online_procedures.imports import OnlineCountImporter
    from online_procedures.models import OnlineProcedureStatus
    from online_procedures.seed import FIXTURES, online_seed_sections, synthetic_online
    from online_procedures.services import OnlineProceduresWriter

    return registry.AgendaApp(
        key="online_procedures",
        package="online_procedures",
        title="行政手続のオンライン化",
        order=20,
        material="資料2",
        section=registry.SectionSpec(
            writer=OnlineProceduresWriter(),
            form_class=OnlineProceduresForm,
            detail_template="online_procedures/section_detail.html",
            form_template="online_procedures/section_form.html",
            help_text="子育て・介護・被災者支援の手続のうち、マイナポータルからオンラインで申請できる手続の数を入力します。"
            "手続ごとにチェックすると、手続数はチェックした数になります。",
        ),
        dashboard=registry.DashboardSpec(
            url_name="online_procedures:dashboard",
            description="マイナポータル利用手続数の比較、手続ごとの対応状況",
        ),
        exporter=registry.ExporterSpec(
            filename="online_procedures",
            build=build_online_book,
            charts=online_charts,
            section_model=OnlineProcedureStatus,
        ),
        importer=OnlineCountImporter,
        seed=registry.SeedSpec(
            order=20,
            fixtures=(FIXTURES / "procedures.json",),
            sections=online_seed_sections,
            synthetic=synthetic_online,
        ),
    )


class OnlineProceduresConfig(AppConfig):
    """資料2 行政手続のオンライン化."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "online_procedures"
    verbose_name = "行政手続のオンライン化"

    def ready(self):
        from council.framework import registry

        registry.register_app(agenda())
