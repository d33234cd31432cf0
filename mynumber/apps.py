from django.apps import AppConfig


class MynumberConfig(AppConfig):
    """資料5 マイナンバーカードの申請・交付状況."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mynumber"
    verbose_name = "マイナンバーカードの申請・交付状況"

    def ready(self):
        from council import registry
        from mynumber.charts import mynumber_charts
        from mynumber.exports import build_mynumber_book
        from mynumber.seed import load_mynumber_seed, synthetic_mynumber
        from mynumber.selectors import resolve_snapshot

        registry.dashboards.register(
            registry.DashboardSpec(
                key="mynumber",
                title="マイナンバーカードの申請・交付状況",
                url_name="mynumber:dashboard",
                order=50,
                material="資料5",
                description="市町別の申請率・交付率、県・全国との比較と推移",
            )
        )
        registry.exporters.register(
            registry.ExporterSpec(
                key="mynumber",
                title="マイナンバーカードの申請・交付状況",
                filename="mynumber",
                build=build_mynumber_book,
                charts=mynumber_charts,
                resolve=resolve_snapshot,
                order=50,
            )
        )
        registry.seeds.register(
            registry.SeedSpec(key="mynumber", order=50, load=load_mynumber_seed, synthetic=synthetic_mynumber)
        )
