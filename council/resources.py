"""django-import-export resources for the council's master data (admin import/export)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from council.models import Municipality, ReportingPeriod


class AllOrNothingResource(resources.ModelResource):
    """Every import runs in one transaction and is rolled back whole if any row is invalid."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
        )


class MunicipalityResource(AllOrNothingResource):
    prefecture = fields.Field(
        attribute="prefecture", column_name="prefecture", widget=ForeignKeyWidget(Municipality, field="code")
    )

    class Meta:
        model = Municipality
        import_id_fields = ["code"]
        fields = ["code", "name", "slug", "kind", "prefecture", "display_order"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class ReportingPeriodResource(AllOrNothingResource):
    class Meta:
        model = ReportingPeriod
        import_id_fields = ["fiscal_year", "quarter"]
        fields = ["fiscal_year", "quarter", "as_of", "submission_deadline", "accepting_reports"]
        clean_model_instances = True
        skip_unchanged = True
