from django.apps import AppConfig


class CouncilConfig(AppConfig):
    """The shared core (organisations, periods, the report workflow, roles), the framework the agenda
    apps plug into (`council.framework`), and two parts of its own: 資料7 (`council.dx`, declared like
    any agenda app) and the meetings (`council.meetings`)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "council"
    verbose_name = "連携会議（共通）"

    def ready(self):
        from django.conf import settings
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_migrate, post_save, pre_save

        from council import notices
        from council.dx.apps import agenda as dx_agenda
        from council.framework import cache as dashboard_cache
        from council.framework import registry
        from council.meetings.seed import load_meeting_seed
        from council.models import ReportingPeriod
        from council.roles import ensure_staff_group
        from council.signals import report_commented, report_status_changed, report_transitioning

        post_migrate.connect(ensure_staff_group, sender=self)
        # a user kept in the shared cache (council.auth) is forgotten when it or its profile changes
        from council.auth import connect_signals as connect_user_cache

        connect_user_cache()
        # cached dashboards follow approvals, reopens and admin saves (imports invalidate in their
        # service), each after its transaction commits
        report_transitioning.connect(dashboard_cache.on_status_change, dispatch_uid="dashboard-cache")
        post_save.connect(dashboard_cache.on_admin_log, sender=LogEntry, dispatch_uid="dashboard-cache-admin")
        # a dashboard opens on the period chosen for the next meeting: meeting edits move the version
        from django.db.models.signals import post_delete

        from council.models import Material, Meeting

        for model in (Meeting, Material):
            for signal in (post_save, post_delete):
                signal.connect(
                    dashboard_cache.on_meeting_change, sender=model, dispatch_uid="dashboard-cache-meeting"
                )
        # notices (home page and mail): the workflow's changes and comments, a period opened
        report_status_changed.connect(notices.on_status_changed, dispatch_uid="notices-status")
        report_commented.connect(notices.on_commented, dispatch_uid="notices-comment")
        pre_save.connect(notices.on_period_saving, sender=ReportingPeriod, dispatch_uid="notices-period")
        post_save.connect(notices.on_period_saved, sender=ReportingPeriod, dispatch_uid="notices-period")

        fixtures = settings.BASE_DIR / "fixtures" / "council"
        registry.seeds.register(
            registry.SeedSpec(
                key="council",
                order=0,
                fixtures=(
                    fixtures / "municipalities.json",
                    fixtures / "periods.json",
                    fixtures / "targets.json",  # the council's targets (資料1, 資料2), as data
                ),
            )
        )
        registry.register_app(dx_agenda())
        registry.seeds.register(registry.SeedSpec(key="meetings", order=900, load=load_meeting_seed))
