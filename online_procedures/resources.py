from council.resources import AllOrNothingResource
from online_procedures.models import Procedure


class ProcedureResource(AllOrNothingResource):
    class Meta:
        model = Procedure
        import_id_fields = ["name"]
        fields = ["name", "category", "order", "verified"]
        clean_model_instances = True
        skip_unchanged = True
