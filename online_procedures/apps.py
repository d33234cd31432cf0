from django.apps import AppConfig


class OnlineProceduresConfig(AppConfig):
    """資料2 行政手続のオンライン化 (to be built)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "online_procedures"
    verbose_name = "行政手続のオンライン化"
