from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from council.dates import validate_date_in_range


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


class ImportStashQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())

    def pending(self):
        """Not yet imported: these hold their file."""
        return self.filter(imported_at__isnull=True)


class ImportStash(models.Model):
    """An upload that passed its dry run, kept until its user confirms it or it expires. In the
    database so that every worker process sees it. A confirmed one keeps its row (without the file)
    until it expires, so a second confirm can say that it was already imported. Written and read
    only through `council.framework.import_stash`."""

    token = models.CharField("確認用トークン", max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="利用者", on_delete=models.CASCADE, related_name="+"
    )
    importer = models.CharField("取り込みの種類", max_length=200)
    filename = models.CharField("ファイル名", max_length=255)
    content = models.BinaryField("ファイルの内容")
    created_at = models.DateTimeField("確認日時", default=timezone.now)
    expires_at = models.DateTimeField("有効期限", db_index=True)
    imported_at = models.DateTimeField("取り込み日時", null=True, blank=True)

    objects = ImportStashQuerySet.as_manager()

    class Meta:
        verbose_name = "取り込み待ちのファイル"
        verbose_name_plural = "取り込み待ちのファイル"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "importer", "created_at"])]

    def __str__(self):
        return f"{self.filename}（{self.created_at:%Y-%m-%d %H:%M}）"


class Target(models.Model):
    """A target the council set, as data: a share (in %) to reach by a date, for one agenda item,
    over everything (`subject` empty) or one subject the app names (資料1: an operation's name).
    Each app measures its own progress against it (e.g. 資料1's 完了率, 資料2's share of the 27
    procedures online)."""

    app_key = models.CharField(
        "資料（アプリのキー）", max_length=40, help_text="例: standardization, online_procedures"
    )
    subject = models.CharField("対象", max_length=60, blank=True, help_text="空欄は全体。資料1では業務名")
    title = models.CharField("目標", max_length=200, help_text="例: 全27手続をオンライン化")
    value = models.DecimalField(
        "目標値（%）",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    due = models.DateField("期限", validators=[validate_date_in_range])

    class Meta:
        verbose_name = "目標"
        verbose_name_plural = "目標"
        ordering = ["app_key", "due", "subject"]

    def __str__(self):
        return f"{self.title}（{self.due:%Y-%m-%d}まで）"

    def clean(self):
        from django.core.exceptions import ValidationError

        from council.framework import registry

        super().clean()
        if self.app_key not in registry.apps:
            keys = "、".join(app.key for app in registry.apps.all())
            raise ValidationError({"app_key": f"資料のキーは次のいずれかです: {keys}"})
