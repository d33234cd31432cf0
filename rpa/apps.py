from django.apps import AppConfig


class RpaConfig(AppConfig):
    """資料3 県・市町におけるRPA等共同利用 (to be built)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "rpa"
    verbose_name = "RPA等共同利用"
