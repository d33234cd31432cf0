"""Council meetings: the agenda, the materials bound to the agenda apps' dashboards (frozen as
presented), the opinions raised and the action items that follow them to the next meeting."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from council.dates import validate_date_in_range
from council.wareki import wareki_datetime, wareki_fiscal_year

COUNCIL_NAME = "山口県デジタル・ガバメント構築連携会議"


class CouncilQuerySet(models.QuerySet):
    """Meeting data belongs to a council: the prefecture that organises the meeting, reached from
    the model by `council_path`. `for_user` narrows to the viewer's council (see `council_of`); a
    national viewer sees every council's, a user without a role nothing."""

    council_path = "meeting__organiser"

    def for_user(self, user):
        from council.roles import council_of, role_of

        if role_of(user) is None:
            return self.none()
        council = council_of(user)
        return self if council is None else self.filter(**{self.council_path: council})


class MeetingQuerySet(CouncilQuerySet):
    council_path = "organiser"


class Meeting(models.Model):
    class Format(models.TextChoices):
        WEB = "web", "WEB会議"
        VENUE = "venue", "会場"
        HYBRID = "hybrid", "会場・WEB併用"

    fiscal_year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("回")
    title = models.CharField("会議名", max_length=100, default=COUNCIL_NAME)
    held_at = models.DateTimeField("日時", validators=[validate_date_in_range])
    format = models.CharField("形式", max_length=10, choices=Format.choices, default=Format.WEB)
    place = models.CharField("場所", max_length=100, blank=True, help_text="会場のとき")
    chair = models.CharField("議長", max_length=100, blank=True)
    organiser = models.ForeignKey(
        "council.Municipality",
        on_delete=models.PROTECT,
        related_name="meetings",
        limit_choices_to={"kind": "prefecture"},
        verbose_name="主催（都道府県）",
        help_text="この都道府県の会議です。資料はこの都道府県とその市区町村のデータで作り、"
        "この都道府県の職員・構成員・連絡担当者にだけ表示されます",
    )

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "会議"
        verbose_name_plural = "会議"
        ordering = ["-held_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "fiscal_year", "number"],
                name="meeting_unique_number_per_council",
                violation_error_message="この都道府県の同じ年度・同じ回の会議は既にあります。",
            )
        ]

    def __str__(self):
        return self.full_title

    def get_absolute_url(self):
        return reverse("council:meeting", args=[self.pk])

    @property
    def full_title(self) -> str:
        """令和5年度 第1回山口県デジタル・ガバメント構築連携会議"""
        return f"{wareki_fiscal_year(self.fiscal_year)} 第{self.number}回{self.title}"

    @property
    def when(self) -> str:
        """令和5年5月11日(木) 9:30～"""
        return f"{wareki_datetime(self.held_at)}～"

    @property
    def where(self) -> str:
        return self.place or self.get_format_display()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上位の議題",
    )
    number = models.PositiveSmallIntegerField("番号", help_text="議題の番号（1〜）。小項目は並び順")
    title = models.CharField("議題", max_length=200)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = "議題"
        verbose_name_plural = "議題"
        ordering = ["meeting", "parent_id", "number"]

    def __str__(self):
        return f"{self.number} {self.title}" if self.parent_id is None else f"・{self.title}"


class Material(models.Model):
    """資料N: bound to an agenda app's dashboard at a period (`period_key`: 2022-Q4, 2022 for a fiscal
    year, 2023-03-31 for a statistics date), or plain text. `frozen_content` holds the tables and
    figures as they stood when staff froze it, so the meeting keeps showing what it showed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name="議題",
    )
    number = models.PositiveSmallIntegerField("資料番号")
    title = models.CharField("資料名", max_length=200)
    app_label = models.CharField(
        "ダッシュボード",
        max_length=40,
        blank=True,
        help_text="出力のキー（council, standardization …）。空欄は文章のみの資料",
    )
    period_key = models.CharField(
        "期間", max_length=20, blank=True, help_text="2022-Q4、年度なら 2022、統計の時点なら 2023-03-31"
    )
    description = models.TextField("説明", blank=True)
    narrative = models.TextField(
        "本文",
        blank=True,
        help_text="資料の文章（見出しは #、箇条書きは - 、表は | 区切り、強調は **…**）。"
        "HTMLやスクリプトは文字のまま表示されます。確定後は変更できません",
    )
    frozen_content = models.JSONField(
        "確定した内容", null=True, blank=True, encoder=DjangoJSONEncoder, editable=False
    )
    frozen_at = models.DateTimeField("確定日時", null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=["frozen_content"])
    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = "資料"
        verbose_name_plural = "資料"
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="material_unique_number")]

    def __str__(self):
        return f"資料{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("council:material", args=[self.meeting_id, self.number])

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Opinion(models.Model):
    """An opinion or request raised at a meeting (意見交換)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="opinions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name="議題",
    )
    speaker = models.CharField("発言者", max_length=100)
    organisation = models.ForeignKey(
        "council.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="団体",
    )
    content = models.TextField("内容")

    history = HistoricalRecords()
    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = "意見・要望"
        verbose_name_plural = "意見・要望"
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.speaker}: {self.content[:20]}"


class ActionItemQuerySet(CouncilQuerySet):
    def for_user(self, user):
        """The items of the viewer's council's meetings: a liaison sees only their organisation's;
        staff and council members those of the organisations in their scope and the secretariat's."""
        from council.models.municipality import Municipality
        from council.roles import Role, role_of

        items = super().for_user(user)
        role = role_of(user)
        if role is None:
            return items
        if role == Role.LIAISON:
            return items.filter(owner_id=user.portal_profile.organisation_id)
        return items.filter(
            models.Q(owner__isnull=True)
            | models.Q(owner__in=Municipality.objects.for_user(user).values("pk"))
        )

    def open(self):
        return self.exclude(status=ActionItem.Status.DONE)


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "未着手"
        IN_PROGRESS = "in_progress", "対応中"
        DONE = "done", "完了"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name="提起された会議"
    )
    opinion = models.ForeignKey(
        Opinion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name="元の意見",
    )
    title = models.CharField("対応事項", max_length=200)
    owner = models.ForeignKey(
        "council.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name="担当団体",
        help_text="空欄は県（事務局）",
    )
    owner_name = models.CharField("担当者・担当課", max_length=100, blank=True)
    due = models.DateField("期限", null=True, blank=True, validators=[validate_date_in_range])
    status = models.CharField("状況", max_length=12, choices=Status.choices, default=Status.OPEN)
    progress = models.TextField("経過", blank=True)
    closed_at = models.DateTimeField("完了日時", null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = "対応事項"
        verbose_name_plural = "対応事項"
        ordering = ["status", "due", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.DONE and self.closed_at is None:
            self.closed_at = timezone.now()
        elif self.status != self.Status.DONE:
            self.closed_at = None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("council:action", args=[self.pk])
