from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    STAFF = "staff", "県職員（デジタル推進局）"
    LIAISON = "liaison", "市町 連絡担当者"
    MEMBER = "member", "会議構成員"


class Profile(models.Model):
    """What a portal user is: their role, and the organisation it binds them to.

    A liaison is bound to the one organisation whose reports they fill in. Staff and council members
    may be bound to a prefecture (they then see it and its municipalities) or to nothing (everything).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="ユーザー",
        on_delete=models.CASCADE,
        related_name="portal_profile",
    )
    role = models.CharField("役割", max_length=10, choices=Role.choices)
    organisation = models.ForeignKey(
        "council.Municipality",
        verbose_name="所属団体",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "利用者の役割"
        verbose_name_plural = "利用者の役割"
        constraints = [
            models.CheckConstraint(
                name="profile_liaison_has_organisation",
                condition=~models.Q(role="liaison") | models.Q(organisation__isnull=False),
                violation_error_message="市町 連絡担当者には所属団体が必要です。",
            ),
        ]

    def __str__(self):
        where = f"（{self.organisation}）" if self.organisation_id else ""
        return f"{self.user} — {self.get_role_display()}{where}"

    def clean(self):
        super().clean()
        if self.role == Role.LIAISON and not self.organisation_id:
            raise ValidationError({"organisation": "市町 連絡担当者には所属団体が必要です。"})
