from django.apps import AppConfig


class MynumberConfig(AppConfig):
    """資料5 マイナンバーカードの申請・交付状況 (to be built)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mynumber"
    verbose_name = "マイナンバーカードの申請・交付状況"
