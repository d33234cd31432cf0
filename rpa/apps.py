"""資料3 県・市町におけるRPA等共同利用."""

from council.framework import registry


def agenda():
    """The app's one declaration (council.framework.registry.AgendaApp)."""
    from rpa.exports import build_rpa_book, resolve_fiscal_year
    from rpa.forms import RpaUsageForm
    from rpa.seed import load_rpa_seed, synthetic_rpa
    from rpa.services import RpaWriter, apply_participation_requests

    return registry.AgendaApp(
        package="rpa",
        title="RPA等共同利用",
        order=30,
        material="資料3",
        section=registry.SectionSpec(
            writer=RpaWriter(),
            form_class=RpaUsageForm,
            required=False,
            help_text="利用しているシナリオごとに、この四半期の実行回数と削減できた時間を入力します。"
            "シナリオの利用を始める・やめる場合はここで申請し、県が報告を承認したときに反映されます。",
        ),
        dashboard=registry.DashboardSpec(description="シナリオと利用団体、削減時間、年度の方針と契約"),
        exporter=registry.ExporterSpec(build=build_rpa_book, resolve=resolve_fiscal_year),
        seed=registry.SeedSpec(load=load_rpa_seed, synthetic=synthetic_rpa),
        on_transition=(apply_participation_requests,),
    )


class RpaConfig(registry.AgendaAppConfig):
    name = "rpa"
    verbose_name = "RPA等共同利用"
