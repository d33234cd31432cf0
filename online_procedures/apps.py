from django.apps import AppConfig


class OnlineProceduresConfig(AppConfig):
    """資料2 行政手続のオンライン化."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "online_procedures"
    verbose_name = "行政手続のオンライン化"

    def ready(self):
        from council import registry
        from online_procedures.charts import online_charts
        from online_procedures.exports import build_online_book
        from online_procedures.forms import OnlineProceduresForm
        from online_procedures.models import OnlineProcedureStatus
        from online_procedures.seed import FIXTURES, online_seed_sections, synthetic_online

        registry.sections.register(
            registry.SectionSpec(
                key="online-procedures",
                title="行政手続のオンライン化",
                model=OnlineProcedureStatus,
                form_class=OnlineProceduresForm,
                order=20,
                material="資料2",
                detail_template="online_procedures/section_detail.html",
                form_template="online_procedures/section_form.html",
                help_text="子育て・介護・被災者支援の手続のうち、マイナポータルからオンラインで申請できる手続の数を入力します。"
                "手続ごとにチェックすると、手続数はチェックした数になります。",
            )
        )
        registry.dashboards.register(
            registry.DashboardSpec(
                key="online_procedures",
                title="行政手続のオンライン化",
                url_name="online_procedures:dashboard",
                order=20,
                material="資料2",
                description="マイナポータル利用手続数の比較、手続ごとの対応状況",
            )
        )
        registry.exporters.register(
            registry.ExporterSpec(
                key="online_procedures",
                title="行政手続のオンライン化",
                filename="online_procedures",
                build=build_online_book,
                charts=online_charts,
                section_model=OnlineProcedureStatus,
                order=20,
            )
        )
        registry.seeds.register(
            registry.SeedSpec(
                key="online_procedures",
                order=20,
                fixtures=(FIXTURES / "procedures.json",),
                sections=online_seed_sections,
                synthetic=synthetic_online,
            )
        )
