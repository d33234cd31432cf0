from django.apps import AppConfig


class CouncilConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "council"
    verbose_name = "連携会議（共通）"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from council import registry
        from council.dashboards import dx_charts
        from council.exports import build_dx_book
        from council.forms import DXStructureForm
        from council.models import DXStructure
        from council.roles import ensure_staff_group
        from council.seeding import dx_seed_sections
        from council.seeding_meeting import load_meeting_seed
        from council.synthetic import synthetic_dx

        post_migrate.connect(ensure_staff_group, sender=self)
        # cached dashboards follow approvals, reopens and admin edits (imports bump in their view)
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from council import cache as dashboard_cache
        from council.services import report_transitioning

        # in the approval's own transaction: the version moves exactly when the approved data does
        report_transitioning.connect(dashboard_cache.on_status_change, dispatch_uid="dashboard-cache")
        post_save.connect(dashboard_cache.bump, sender=LogEntry, dispatch_uid="dashboard-cache-admin")

        registry.sections.register(
            registry.SectionSpec(
                key="dx-structure",
                title="DX推進体制",
                model=DXStructure,
                form_class=DXStructureForm,
                order=70,
                material="資料7",
                detail_template="council/sections/dx_detail.html",
                help_text="担当所属、全体方針の策定、全庁的なDX推進体制、外部人材・情報職の確保状況",
            )
        )
        registry.dashboards.register(
            registry.DashboardSpec(
                key="council",
                title="市町のDX推進体制等",
                url_name="council:dashboard",
                order=70,
                material="資料7",
                description="全体方針・推進体制・外部人材・情報職の整備状況",
            )
        )
        registry.exporters.register(
            registry.ExporterSpec(
                key="council",
                title="市町のDX推進体制等",
                filename="dx_structure",
                build=build_dx_book,
                charts=dx_charts,
                section_model=DXStructure,
                order=70,
            )
        )
        fixtures = settings.BASE_DIR / "fixtures" / "council"
        registry.seeds.register(
            registry.SeedSpec(
                key="council",
                order=0,
                fixtures=(fixtures / "municipalities.json", fixtures / "periods.json"),
                sections=dx_seed_sections,
                synthetic=synthetic_dx,
            )
        )
        registry.seeds.register(registry.SeedSpec(key="council-meeting", order=900, load=load_meeting_seed))
