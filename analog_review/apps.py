from django.apps import AppConfig


class AnalogReviewConfig(AppConfig):
    """資料4 アナログ規制の点検・見直し (to be built)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "analog_review"
    verbose_name = "アナログ規制の点検・見直し"
