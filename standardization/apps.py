from django.apps import AppConfig


class StandardizationConfig(AppConfig):
    """資料1 情報システムの標準化・共通化."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "standardization"
    verbose_name = "情報システムの標準化・共通化"

    def ready(self):
        from council import registry
        from standardization.dashboards import standardization_charts
        from standardization.exports import build_standardization_book
        from standardization.forms import StandardizationForm
        from standardization.models import StandardizationProgress
        from standardization.seed import FIXTURES, standardization_seed_sections, synthetic_progress

        registry.sections.register(
            registry.SectionSpec(
                key="standardization",
                title="情報システムの標準化・共通化",
                model=StandardizationProgress,
                form_class=StandardizationForm,
                order=10,
                material="資料1",
                detail_template="standardization/section_detail.html",
                form_template="standardization/section_form.html",
                help_text="標準化PMOツールのステップごとに、完了した業務数（20業務のうち）、一部のみ完了か、完了予定日と完了日を入力します。"
                "業務ごとにチェックすると、業務数はチェックした数になります。ステップは順番どおりでなくてもかまいません。",
            )
        )
        registry.dashboards.register(
            registry.DashboardSpec(
                key="standardization",
                title="情報システムの標準化・共通化",
                url_name="standardization:dashboard",
                order=10,
                material="資料1",
                description="ステップ別の進捗、移行期限に向けたリスク、団体カルテ",
            )
        )
        registry.exporters.register(
            registry.ExporterSpec(
                key="standardization",
                title="情報システムの標準化・共通化",
                filename="standardization",
                build=build_standardization_book,
                charts=standardization_charts,
                section_model=StandardizationProgress,
                order=10,
            )
        )
        registry.seeds.register(
            registry.SeedSpec(
                key="standardization",
                order=10,
                fixtures=(FIXTURES / "master.json",),
                sections=standardization_seed_sections,
                synthetic=synthetic_progress,
            )
        )
