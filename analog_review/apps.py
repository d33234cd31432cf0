"""資料4 アナログ規制の点検・見直し."""

from council.framework import registry


def agenda():
    """The app's one declaration (council.framework.registry.AgendaApp)."""
    from django.conf import settings

    from analog_review.exports import build_analog_book
    from analog_review.forms import AnalogConfirmationForm
    from analog_review.imports import InventoryImporter
    from analog_review.seed import synthetic_analog
    from analog_review.services import AnalogConfirmationWriter

    return registry.AgendaApp(
        package="analog_review",
        title="アナログ規制の点検・見直し",
        order=40,
        material="資料4",
        section=registry.SectionSpec(
            writer=AnalogConfirmationWriter(),
            form_class=AnalogConfirmationForm,
            help_text="類型・状況ごとの件数は、台帳（取り込んだ規定の一覧）から集計します。件数を確認し、進める上での課題があれば書いてください。",
            for_prefectures=True,
            required=False,
        ),
        dashboard=registry.DashboardSpec(description="類型×状況の件数、団体ごとの着手状況、四半期の推移"),
        exporter=registry.ExporterSpec(build=build_analog_book),
        importer=InventoryImporter,
        seed=registry.SeedSpec(
            fixtures=(settings.BASE_DIR / "fixtures" / "analog_review" / "types.json",),
            synthetic=synthetic_analog,
        ),
    )


class AnalogReviewConfig(registry.AgendaAppConfig):
    name = "analog_review"
    verbose_name = "アナログ規制の点検・見直し"
