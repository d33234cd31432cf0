from django.apps import AppConfig


class AnalogReviewConfig(AppConfig):
    """資料4 アナログ規制の点検・見直し."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "analog_review"
    verbose_name = "アナログ規制の点検・見直し"

    def ready(self):
        from django.conf import settings

        from analog_review.charts import analog_charts
        from analog_review.exports import build_analog_book
        from analog_review.forms import AnalogConfirmationForm
        from analog_review.models import AnalogReviewConfirmation
        from analog_review.seed import synthetic_analog
        from council import registry

        registry.sections.register(
            registry.SectionSpec(
                key="analog-review",
                title="アナログ規制の点検・見直し",
                model=AnalogReviewConfirmation,
                form_class=AnalogConfirmationForm,
                order=40,
                material="資料4",
                detail_template="analog_review/section_detail.html",
                form_template="analog_review/section_form.html",
                help_text="類型・状況ごとの件数は、台帳（取り込んだ規定の一覧）から集計します。件数を確認し、進める上での課題があれば書いてください。",
                for_prefectures=True,
                required=False,
            )
        )
        registry.dashboards.register(
            registry.DashboardSpec(
                key="analog_review",
                title="アナログ規制の点検・見直し",
                url_name="analog_review:dashboard",
                order=40,
                material="資料4",
                description="類型×状況の件数、団体ごとの着手状況、四半期の推移",
            )
        )
        registry.exporters.register(
            registry.ExporterSpec(
                key="analog_review",
                title="アナログ規制の点検・見直し",
                filename="analog_review",
                build=build_analog_book,
                charts=analog_charts,
                section_model=AnalogReviewConfirmation,
                order=40,
            )
        )
        registry.seeds.register(
            registry.SeedSpec(
                key="analog_review",
                order=40,
                fixtures=(settings.BASE_DIR / "fixtures" / "analog_review" / "types.json",),
                synthetic=synthetic_analog,
            )
        )
