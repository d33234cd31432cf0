"""資料5 マイナンバーカードの申請・交付状況."""

from council.framework import registry


def agenda():
    """The app's one declaration (council.framework.registry.AgendaApp)."""
    from mynumber.exports import build_mynumber_book
    from mynumber.imports import CountsImporter
    from mynumber.seed import load_mynumber_seed, synthetic_mynumber
    from mynumber.selectors import resolve_snapshot

    return registry.AgendaApp(
        package="mynumber",
        title="マイナンバーカードの申請・交付状況",
        order=50,
        material="資料5",
        dashboard=registry.DashboardSpec(description="市町別の申請率・交付率、県・全国との比較と推移"),
        exporter=registry.ExporterSpec(build=build_mynumber_book, resolve=resolve_snapshot),
        importer=CountsImporter,
        seed=registry.SeedSpec(load=load_mynumber_seed, synthetic=synthetic_mynumber),
    )


class MynumberConfig(registry.AgendaAppConfig):
    name = "mynumber"
    verbose_name = "マイナンバーカードの申請・交付状況"
