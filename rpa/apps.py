from django.apps import AppConfig


class RpaConfig(AppConfig):
    """資料3 県・市町におけるRPA等共同利用."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "rpa"
    verbose_name = "RPA等共同利用"

    def ready(self):
        from council import registry, services
        from rpa.charts import rpa_charts
        from rpa.exports import build_rpa_book, resolve_fiscal_year
        from rpa.forms import RpaUsageForm
        from rpa.models import RpaUsage
        from rpa.seed import load_rpa_seed, synthetic_rpa
        from rpa.services import apply_participation_requests

        services.report_transitioning.connect(apply_participation_requests, dispatch_uid="rpa-participation")
        registry.sections.register(
            registry.SectionSpec(
                key="rpa",
                title="RPA等共同利用",
                model=RpaUsage,
                form_class=RpaUsageForm,
                order=30,
                material="資料3",
                detail_template="rpa/section_detail.html",
                form_template="rpa/section_form.html",
                required=False,
                help_text="利用しているシナリオごとに、この四半期の実行回数と削減できた時間を入力します。"
                "シナリオの利用を始める・やめる場合はここで申請し、県が報告を承認したときに反映されます。",
            )
        )
        registry.dashboards.register(
            registry.DashboardSpec(
                key="rpa",
                title="RPA等共同利用",
                url_name="rpa:dashboard",
                order=30,
                material="資料3",
                description="シナリオと利用団体、削減時間、年度の方針と契約",
            )
        )
        registry.exporters.register(
            registry.ExporterSpec(
                key="rpa",
                title="RPA等共同利用",
                filename="rpa",
                build=build_rpa_book,
                resolve=resolve_fiscal_year,
                order=30,
                charts=rpa_charts,
            )
        )
        registry.seeds.register(
            registry.SeedSpec(key="rpa", order=30, load=load_rpa_seed, synthetic=synthetic_rpa)
        )
