from django.apps import AppConfig


class StandardizationConfig(AppConfig):
    """資料1 情報システムの標準化・共通化 (to be built: see the standardization issue)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "standardization"
    verbose_name = "情報システムの標準化・共通化"
