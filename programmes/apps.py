"""資料6 デジタル関連の県の取組状況: the prefecture's own programmes, what municipalities can take up
(support schemes, national calls, seminars, the year's training courses) and who took it up, Y-BASE's
support cases and the infrastructure milestones.

No report section: these data are the prefecture's own (entered by staff in the admin), not part of
the municipalities' quarterly report; municipalities take part by registering for an offer."""

from council.framework import registry


def agenda():
    """The app's one declaration (council.framework.registry.AgendaApp)."""
    from programmes.exports import build_programmes_book
    from programmes.seed import load_programmes_seed
    from programmes.selectors import resolve_fiscal_year

    return registry.AgendaApp(
        package="programmes",
        title="デジタル関連の県の取組状況",
        order=60,
        material="資料6",
        dashboard=registry.DashboardSpec(
            description="県の事業と予算、市町向けの支援・募集・研修と市町の参加状況"
        ),
        exporter=registry.ExporterSpec(
            build=build_programmes_book,
            resolve=resolve_fiscal_year,
            filename="programmes",
        ),
        seed=registry.SeedSpec(load=load_programmes_seed),
    )


class ProgrammesConfig(registry.AgendaAppConfig):
    name = "programmes"
    verbose_name = "デジタル関連の県の取組状況"

    def ready(self):
        super().ready()
        from programmes.views import home_context

        registry.add_home_block("programmes/_home.html", home_context)
