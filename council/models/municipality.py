from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from council.text import NameField


def local_government_check_digit(code5: str) -> int:
    """全国地方公共団体コード check digit: weights 6,5,4,3,2; 11 - (sum mod 11), last digit kept."""
    total = sum(int(digit) * weight for digit, weight in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_local_government_code(value: str) -> None:
    if not (len(value) == 6 and value.isdigit()):
        raise ValidationError("団体コードは6桁の数字で入力してください（例: 352047）。", code="format")
    expected = local_government_check_digit(value[:5])
    if int(value[5]) != expected:
        raise ValidationError(
            "団体コード %(code)s の検査数字が正しくありません（%(head)s の検査数字は %(expected)s です）。",
            code="check_digit",
            params={"code": value, "head": value[:5], "expected": expected},
        )


class MunicipalityQuerySet(models.QuerySet):
    def reporting(self):
        """Organisations that file the quarterly status report: the municipalities, not prefectures."""
        return self.exclude(kind=Municipality.Kind.PREFECTURE)

    def for_user(self, user):
        """What the user may see. Staff and council members bound to a prefecture see it and its
        municipalities; a liaison sees their own organisation only; nobody else sees anything."""
        from council.roles import Role, role_of

        role = role_of(user)
        if role is None:
            return self.none()
        if user.is_superuser:
            return self
        profile = user.portal_profile
        if role == Role.LIAISON:
            return self.filter(pk=profile.organisation_id)
        organisation = profile.organisation
        if organisation is None:
            return self
        if organisation.kind == Municipality.Kind.PREFECTURE:
            return self.filter(models.Q(pk=organisation.pk) | models.Q(prefecture_id=organisation.pk))
        return self.filter(pk=organisation.pk)

    def for_dashboard(self, user):
        """Whose approved data the user sees on dashboards: like `for_user`, except that a liaison
        sees their whole prefecture, as the council does at the meeting."""
        from council.roles import Role, role_of

        if role_of(user) != Role.LIAISON:
            return self.for_user(user)
        organisation = user.portal_profile.organisation
        prefecture_id = organisation.prefecture_id or organisation.pk
        return self.filter(models.Q(pk=prefecture_id) | models.Q(prefecture_id=prefecture_id))


class MunicipalityManager(models.Manager.from_queryset(MunicipalityQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Municipality(models.Model):
    """An organisation of local government (団体): a prefecture, city, ward, town or village."""

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", "都道府県"
        CITY = "city", "市"
        WARD = "ward", "特別区"
        TOWN = "town", "町"
        VILLAGE = "village", "村"

    code = NameField(
        "団体コード",
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
        help_text="全国地方公共団体コード（検査数字を含む6桁）",
    )
    name = NameField("団体名", max_length=40)
    slug = models.SlugField(
        "スラッグ",
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$", "半角英小文字・数字・ハイフンで入力してください。")],
    )
    kind = models.CharField("区分", max_length=10, choices=Kind.choices)
    prefecture = models.ForeignKey(
        "self",
        verbose_name="都道府県",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        limit_choices_to={"kind": "prefecture"},
    )
    display_order = models.PositiveIntegerField(
        "表示順", default=0, help_text="資料の並び順。0 のときは団体コード順。"
    )

    history = HistoricalRecords()
    objects = MunicipalityManager()

    class Meta:
        verbose_name = "団体"
        verbose_name_plural = "団体"
        ordering = ["display_order", "code"]
        constraints = [
            models.CheckConstraint(
                name="municipality_prefecture_has_no_parent",
                condition=models.Q(kind="prefecture", prefecture__isnull=True)
                | (~models.Q(kind="prefecture") & models.Q(prefecture__isnull=False)),
                violation_error_message="都道府県には所属都道府県を設定せず、市区町村には必ず設定してください。",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.display_order and self.code and self.code.isdigit():
            self.display_order = int(self.code[:5])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:council_municipality_change", args=[self.pk])

    def natural_key(self):
        return (self.code,)

    @property
    def prefecture_number(self) -> str:
        return self.code[:2]

    def clean(self):
        super().clean()
        if self.prefecture_id and self.code and self.prefecture.code[:2] != self.code[:2]:
            raise ValidationError(
                {"prefecture": "団体コードの上2桁（都道府県コード）が所属都道府県と一致しません。"}
            )
