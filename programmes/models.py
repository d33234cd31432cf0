"""資料6 デジタル関連の県の取組状況: what the prefecture runs for its municipalities.

Programmes (事業) with their budget in 千円 and its breakdown, sub-programmes (細事業); offers that
municipalities can take up (support schemes with caps and rates, national calls with their windows
and steps, seminars and training courses) and each municipality's registration for them; Y-BASE's
support cases per municipality; dated infrastructure milestones.

Every row belongs to a council (the prefecture, `prefecture`); `for_user` narrows to the viewer's
council, and registrations and support cases further to a liaison's own organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from council.text import NameField
from council.wareki import wareki_fiscal_year

NOT_NEGATIVE = MinValueValidator(0, message="金額・人数は0以上で入力してください。")


class CouncilScopedQuerySet(models.QuerySet):
    """Rows of a council (`council_path` leads to the prefecture): the viewer's council only, every
    council for a national viewer, nothing for a user without a role."""

    council_path = "prefecture"

    def for_user(self, user):
        from council.roles import council_of, role_of

        if role_of(user) is None:
            return self.none()
        council = council_of(user)
        return self if council is None else self.filter(**{self.council_path: council})


class OrganisationScopedQuerySet(CouncilScopedQuerySet):
    """Rows about one organisation: a liaison sees their own organisation's only."""

    def for_user(self, user):
        from council.roles import Role, role_of

        rows = super().for_user(user)
        if role_of(user) == Role.LIAISON:
            return rows.filter(organisation_id=user.portal_profile.organisation_id)
        return rows


def _prefecture_field(related_name: str):
    return models.ForeignKey(
        "council.Municipality",
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"kind": "prefecture"},
        verbose_name="都道府県",
    )


class Programme(models.Model):
    """事業: e.g. 新 やまぐちDX加速化事業【デジタル政策課】376,188千円."""

    prefecture = _prefecture_field("programmes")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    order = models.PositiveSmallIntegerField("並び順", default=0)
    name = NameField("事業名", max_length=100)
    department = NameField("担当課", max_length=100)
    budget = models.BigIntegerField("予算額（千円）", validators=[NOT_NEGATIVE])
    is_new = models.BooleanField("新規（新）", default=False)
    summary = models.TextField("事業の目的・概要", blank=True)
    request = models.TextField("市町へのお願い", blank=True)

    objects = CouncilScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "事業"
        verbose_name_plural = "事業"
        ordering = ["prefecture", "fiscal_year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "fiscal_year", "name"],
                name="programme_unique_name",
                violation_error_message="同じ年度に同じ名前の事業があります。",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0),
                name="programme_budget_not_negative",
                violation_error_message="予算額は0以上で入力してください。",
            ),
        ]

    def __str__(self):
        return f"{wareki_fiscal_year(self.fiscal_year)} {self.name}"

    @property
    def title(self) -> str:
        """新 やまぐちDX加速化事業【デジタル政策課】"""
        return f"{'新 ' if self.is_new else ''}{self.name}【{self.department}】"


class BudgetLine(models.Model):
    """One line of a programme's breakdown (区分・見積額)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    order = models.PositiveSmallIntegerField("並び順", default=0)
    label = NameField("区分", max_length=100)
    detail = models.TextField("内容", blank=True)
    amount = models.BigIntegerField("見積額（千円）", validators=[NOT_NEGATIVE])

    class Meta:
        verbose_name = "予算の内訳"
        verbose_name_plural = "予算の内訳"
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="budget_line_not_negative",
                violation_error_message="見積額は0以上で入力してください。",
            )
        ]

    def __str__(self):
        return self.label


class SubProgramme(models.Model):
    """細事業: its field (地域の社会課題の解決 …), summary and recruitment timing (募集時期等)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sub_programmes")
    order = models.PositiveSmallIntegerField("並び順", default=0)
    field = NameField("分野", max_length=50, blank=True)
    name = NameField("細事業名", max_length=100)
    is_new = models.BooleanField("新規（新）", default=False)
    summary = models.TextField("事業概要", blank=True)
    timing = models.TextField("募集時期等", blank=True)

    class Meta:
        verbose_name = "細事業"
        verbose_name_plural = "細事業"
        ordering = ["programme", "order", "pk"]

    def __str__(self):
        return self.name


class Offer(models.Model):
    """Something municipalities can take up: a support scheme (補助・支援), a national call (国の公募),
    a seminar or event, a training course. `accepting` with `closes` is what the home page lists."""

    class Kind(models.TextChoices):
        SCHEME = "scheme", "県の支援制度"
        CALL = "call", "国の公募"
        EVENT = "event", "セミナー・イベント"
        COURSE = "course", "研修"

    prefecture = _prefecture_field("offers")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name="事業",
    )
    group = NameField(
        "まとまり", max_length=100, blank=True, help_text="例: デジタル活用支援推進事業（総務省）"
    )
    number = models.PositiveSmallIntegerField("No", null=True, blank=True)
    title = NameField("名称", max_length=100)
    provider = NameField("実施主体", max_length=100, blank=True)
    summary = models.TextField("内容", blank=True)
    cap = models.BigIntegerField("上限額（千円）", null=True, blank=True, validators=[NOT_NEGATIVE])
    cap_unit = NameField("上限額の単位", max_length=20, blank=True, help_text="例: 市町")
    cap_detail = models.CharField("上限額の内訳", max_length=200, blank=True)
    rate = NameField("補助率", max_length=20, blank=True)
    category = NameField("分類", max_length=100, blank=True, help_text="研修: オンライン、eラーニング、座学")
    timing = models.CharField("予定時期", max_length=100, blank=True)
    length = NameField("研修時間", max_length=30, blank=True)
    target = models.CharField("対象者", max_length=200, blank=True)
    opens = models.DateField("受付開始日", null=True, blank=True)
    closes = models.DateField("受付締切日", null=True, blank=True)
    held_on = models.DateField("開催日", null=True, blank=True)
    schedule = models.TextField(
        "日程・手順", blank=True, help_text="1行に1項目（例: 評価会での審査\t5月下旬）"
    )
    accepting = models.BooleanField(
        "受付中", default=False, help_text="市町の連絡担当者が申込・関心を登録できます"
    )

    objects = CouncilScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "募集・研修"
        verbose_name_plural = "募集・研修"
        ordering = ["prefecture", "fiscal_year", "kind", "number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__isnull=True)
                | models.Q(closes__isnull=True)
                | models.Q(closes__gte=models.F("opens")),
                name="offer_window_ends_after_start",
                violation_error_message="受付締切日は受付開始日より後にしてください。",
            ),
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True) | models.Q(cap__gte=0),
                name="offer_cap_not_negative",
                violation_error_message="上限額は0以上で入力してください。",
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.title}" if self.group else self.title

    def get_absolute_url(self):
        return reverse("programmes:offer", args=[self.pk])

    def clean(self):
        errors = window_errors(self.opens, self.closes)
        if errors:
            raise ValidationError({"closes": errors})

    def open_on(self, today) -> bool:
        """Accepting registrations on `today`: accepting, and not past its deadline (the same rule
        as `selectors.open_offers`, for an offer already in hand)."""
        return self.accepting and (self.closes is None or self.closes >= today)

    @property
    def window(self) -> str:
        """5/6～5/12"""
        if not (self.opens or self.closes):
            return ""
        fmt = lambda d: f"{d.month}/{d.day}" if d else ""  # noqa: E731
        return f"{fmt(self.opens)}～{fmt(self.closes)}"

    @property
    def steps(self) -> list[tuple[str, str]]:
        """The schedule's lines as (step, timing)."""
        lines = [line.split("\t", 1) for line in self.schedule.splitlines() if line.strip()]
        return [(parts[0], parts[1] if len(parts) > 1 else "") for parts in lines]


def window_errors(opens, closes) -> list[str]:
    """The one rule for an application window: it may not end before it starts."""
    if opens and closes and closes < opens:
        return ["受付締切日は受付開始日より後にしてください。"]
    return []


class RegistrationQuerySet(OrganisationScopedQuerySet):
    council_path = "offer__prefecture"


class Registration(models.Model):
    """An organisation's interest in, application for or attendance at an offer."""

    class Kind(models.TextChoices):
        INTEREST = "interest", "関心あり"
        APPLICATION = "application", "申込"
        ATTENDED = "attended", "参加"

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="registrations", verbose_name="募集"
    )
    organisation = models.ForeignKey(
        "council.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    kind = models.CharField("登録の種類", max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    participants = models.PositiveSmallIntegerField("参加人数", default=0)
    note = models.CharField("備考", max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField("登録日時", auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "申込・参加"
        verbose_name_plural = "申込・参加"
        ordering = ["offer", "organisation__display_order", "organisation__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "organisation"],
                name="registration_one_per_organisation",
                violation_error_message="この団体は既に登録しています。",
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.get_kind_display()}"

    def clean(self):
        """An organisation registers for its own prefecture's offers only (the prefecture itself or
        one of its municipalities)."""
        super().clean()
        if self.offer_id and self.organisation_id:
            prefecture = self.offer.prefecture_id
            if prefecture not in (self.organisation.pk, self.organisation.prefecture_id):
                raise ValidationError({"organisation": "この事業・催しの県の団体を選んでください。"})


class SupportCase(models.Model):
    """A Y-BASE consultation or hands-on (伴走支援) case for one municipality."""

    class Topic(models.TextChoices):
        STANDARDIZATION = "standardization", "標準化"
        ONLINE = "online", "オンライン化"
        MYNUMBER = "mynumber", "マイナンバーカード"
        OPEN_DATA = "open_data", "オープンデータ"
        NO_FORMS = "no_forms", "書かない窓口"
        OTHER = "other", "その他"

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", "相談"
        HANDS_ON = "hands_on", "伴走支援"

    class Status(models.TextChoices):
        HEARING = "hearing", "ヒアリング実施済み"
        PROPOSED = "proposed", "提案中"
        SUPPORTING = "supporting", "支援中"
        DONE = "done", "完了"

    prefecture = _prefecture_field("support_cases")
    organisation = models.ForeignKey(
        "council.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    fiscal_year = models.PositiveSmallIntegerField("年度")
    topic = models.CharField("分野", max_length=20, choices=Topic.choices)
    kind = models.CharField("支援の種類", max_length=20, choices=Kind.choices, default=Kind.HANDS_ON)
    title = NameField("件名", max_length=100)
    request = models.TextField("現状・相談内容")
    proposal = models.TextField("Y-BASEからの提案", blank=True)
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.HEARING)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "Y-BASEの支援案件"
        verbose_name_plural = "Y-BASEの支援案件"
        ordering = ["fiscal_year", "organisation__display_order", "organisation__code", "pk"]

    def __str__(self):
        return f"{self.organisation} {self.title}"


class Milestone(models.Model):
    """A dated step of the infrastructure work (光ファイバ未整備地域のヒアリング, YSN更改)."""

    prefecture = _prefecture_field("milestones")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    order = models.PositiveSmallIntegerField("並び順", default=0)
    group = NameField("取組", max_length=100)
    title = models.CharField("内容", max_length=200)
    timing = NameField(
        "時期", max_length=50, blank=True, help_text="資料の表記（5月、8月下旬まで、令和6年度）"
    )
    due = models.DateField("期日", null=True, blank=True)
    organisations = models.PositiveSmallIntegerField("対象団体数", null=True, blank=True)

    objects = CouncilScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "情報通信基盤の予定"
        verbose_name_plural = "情報通信基盤の予定"
        ordering = ["prefecture", "fiscal_year", "order", "pk"]

    def __str__(self):
        return self.title
