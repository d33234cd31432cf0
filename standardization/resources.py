from import_export import fields
from import_export.widgets import ForeignKeyWidget

from council.models import Municipality
from council.resources import AllOrNothingResource
from standardization.models import DeadlineOverride, Operation, Phase, Step


class OperationResource(AllOrNothingResource):
    class Meta:
        model = Operation
        import_id_fields = ["name"]
        fields = ["name", "order", "default_deadline", "prefecture_reports"]
        clean_model_instances = True
        skip_unchanged = True


class StepResource(AllOrNothingResource):
    phase = fields.Field(attribute="phase", column_name="phase", widget=ForeignKeyWidget(Phase, field="name"))

    class Meta:
        model = Step
        import_id_fields = ["name"]
        fields = ["name", "full_name", "order", "number", "phase", "verified"]
        clean_model_instances = True
        skip_unchanged = True


class DeadlineOverrideResource(AllOrNothingResource):
    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=ForeignKeyWidget(Municipality, field="code"),
    )
    operation = fields.Field(
        attribute="operation", column_name="operation", widget=ForeignKeyWidget(Operation, field="name")
    )

    class Meta:
        model = DeadlineOverride
        import_id_fields = ["municipality", "operation"]
        fields = ["municipality", "operation", "deadline", "reason", "is_difficult"]
        clean_model_instances = True
        skip_unchanged = True
