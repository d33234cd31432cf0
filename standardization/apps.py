"""資料1 情報システムの標準化・共通化."""

from council.framework import registry


def agenda():
    """The app's one declaration (council.framework.registry.AgendaApp)."""
    from standardization.exports import build_standardization_book
    from standardization.forms import StandardizationForm
    from standardization.imports import StepProgressImporter
    from standardization.seed import FIXTURES, standardization_seed_sections, synthetic_progress
    from standardization.services import StandardizationWriter

    return registry.AgendaApp(
        package="standardization",
        title="情報システムの標準化・共通化",
        order=10,
        material="資料1",
        section=registry.SectionSpec(
            writer=StandardizationWriter(),
            form_class=StandardizationForm,
            help_text="標準化PMOツールのステップごとに、完了した業務数（20業務のうち）、一部のみ完了か、完了予定日と完了日を入力します。"
            "業務ごとにチェックすると、業務数はチェックした数になります。ステップは順番どおりでなくてもかまいません。"
            "国の定義（業務ごと・ステップごとの 完了済み・作業中・未着手・対象外）は「業務×ステップの入力」で入力でき、"
            "そのときステップの業務数はそこから集計されます。県は児童扶養手当・生活保護の2業務を報告します。",
            for_prefectures=True,
            required_for_prefectures=False,  # a prefecture may report its two operations
        ),
        dashboard=registry.DashboardSpec(description="ステップ別の進捗、移行期限に向けたリスク、団体カルテ"),
        exporter=registry.ExporterSpec(build=build_standardization_book),
        importer=StepProgressImporter,
        seed=registry.SeedSpec(
            fixtures=(FIXTURES / "master.json",),
            sections=standardization_seed_sections,
            synthetic=synthetic_progress,
        ),
    )


class StandardizationConfig(registry.AgendaAppConfig):
    name = "standardization"
    verbose_name = "情報システムの標準化・共通化"
