from django.db import models


class DataVersion(models.Model):
    """A counter that moves whenever data shown on dashboards changes (an approval, a reopen, an
    import, an admin edit). Cached dashboards are keyed by it, so every process sees a change at
    once without a shared cache."""

    key = models.CharField(max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = "キャッシュの版"
        verbose_name_plural = "キャッシュの版"

    def __str__(self):
        return f"{self.key}: {self.version}"
