from django.apps import AppConfig


def agenda():
    """資料1 情報システムの標準化・共通化."""
    from council.framework import registry
    from standardization.dashboards import standardization_charts
    from standardization.exports import build_standardization_book
    from standardization.forms import StandardizationForm
    from standardization.imports import StepProgressImporter
    from standardization.models import StandardizationProgress
    from standardization.seed import FIXTURES, standardization_seed_sections, synthetic_progress
    from standardization.services import StandardizationWriter

    return registry.AgendaApp(
        key="standardization",
        package="standardization",
        title="情報システムの標準化・共通化",
        order=10,
        material="資料1",
        section=registry.SectionSpec(
            writer=StandardizationWriter(),
            form_class=StandardizationForm,
            detail_template="standardization/section_detail.html",
            form_template="standardization/section_form.html",
            help_text="標準化PMOツールのステップごとに、完了した業務数（20業務のうち）、一部のみ完了か、完了予定日と完了日を入力します。"
            "業務ごとにチェックすると、業務数はチェックした数になります。ステップは順番どおりでなくてもかまいません。",
        ),
        dashboard=registry.DashboardSpec(
            url_name="standardization:dashboard",
            description="ステップ別の進捗、移行期限に向けたリスク、団体カルテ",
        ),
        exporter=registry.ExporterSpec(
            filename="standardization",
            build=build_standardization_book,
            charts=standardization_charts,
            section_model=StandardizationProgress,
        ),
        importer=StepProgressImporter,
        seed=registry.SeedSpec(
            order=10,
            fixtures=(FIXTURES / "master.json",),
            sections=standardization_seed_sections,
            synthetic=synthetic_progress,
        ),
    )


class StandardizationConfig(AppConfig):
    """資料1 情報システムの標準化・共通化."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "standardization"
    verbose_name = "情報システムの標準化・共通化"

    def ready(self):
        from council.framework import registry

        registry.register_app(agenda())
