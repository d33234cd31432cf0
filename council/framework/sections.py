"""Report sections: the base model every agenda app's part of the quarterly report extends, and the
writer through which every section is validated and written.

The workflow (`council.services`) owns *when* a section may be written (row lock, state, version
check); an app's `SectionWriter` (in its `services.py`) owns *what* writing means: which fields,
which child rows, which rules. Every path goes through the writer: the section form, the import of
one report (`write`), the import of many new reports (`write_new`) and the carry-forward of the
last approved report into a new draft (`carry_forward`). What validation needs from the database is
read once by `context()` and passed in explicitly; nothing is set on an instance before `clean()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from council.framework.history import copy_with_history, create_with_history

if TYPE_CHECKING:
    from council.framework.comparison import SummaryRow
    from council.models.report import StatusReport


class ReportSection(models.Model):
    """Base of every app's part of the quarterly report: one row per report, versioned.

    `version` guards concurrent edits: a save names the version it started from and is refused when
    someone else saved in between (see `council.services.section_save`).
    """

    report = models.OneToOneField(
        "council.StatusReport",
        verbose_name="報告",
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s",
    )
    version = models.PositiveIntegerField("版", default=1, editable=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    #: fields that belong to the workflow, not to what the liaison reports
    BOOKKEEPING_FIELDS: ClassVar[tuple[str, ...]] = ("id", "report", "version", "updated_at", "updated_by")
    #: what a comparison with the previous report leaves out: the section's own fields and
    #: many-to-many fields by name, its child rows' fields as "<accessor>.<field>"
    SUMMARY_EXCLUDE: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def content_fields(self) -> list[str]:
        return [f.name for f in self._meta.concrete_fields if f.name not in self.BOOKKEEPING_FIELDS]

    def content(self) -> dict:
        return {name: getattr(self, name) for name in self.content_fields()}

    # --- what a reader compares with the previous report (council.framework.comparison) ---------

    @classmethod
    def summaries(cls, sections: Sequence[ReportSection]) -> list[list[SummaryRow]]:
        """The labelled values of each of `sections` (all of this model), in their order: what the
        reviewer compares, old → new. The default reads the model (own fields, many-to-many items,
        child rows); override for a shape it cannot read. A few queries for any number of sections."""
        from council.framework.comparison import default_summaries

        return default_summaries(cls, sections)

    def summary_value(self, name: str, value: Any) -> str | None:
        """The display text of the own field `name` in a comparison, or None for the default
        (choices by their label, booleans as はい／いいえ, dates in 和暦)."""
        return None


S = TypeVar("S", bound=ReportSection)


class SectionWriter(Generic[S]):
    """How one app's section is validated and written. Subclasses set `model` and override
    `validate` (fill the section from the data, check every rule, return the child rows) and, for
    sections with child rows, `write_children`, `insert_children` and `copy_children`.

    `data` is what the section form's `section_data()` and the importers produce: a dict of the
    section's content fields, plus the app's own keys for child rows.
    """

    model: type[S]
    #: content fields a carried-forward draft starts with (None: every content field)
    copied_fields: tuple[str, ...] | None = None

    def __eq__(self, other: object) -> bool:  # writers hold no state: one of a class is as good as another
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def context(self) -> Any:
        """What `validate` needs from the database, read once per call of `write` / `write_new`."""
        return None

    def validate(self, section: S, data: dict[str, Any], context: Any) -> Any:
        """Fill `section` from `data` and check it without writing anything; return its child rows
        (passed to `write_children` / `insert_children`). Raises ValidationError with every message."""
        for name, value in data.items():
            setattr(section, name, value)
        section.clean()  # a plain-field section's rules are its model's
        return None

    # --- one section (the form, the import of one report) -----------------------------------

    def write(self, section: S, data: dict[str, Any], *, user: User | None) -> S:
        """Validate and save one section, new or existing, inside `section_save`'s transaction."""
        children = self.validate(section, data, self.context())
        section.full_clean()
        if user is not None:
            section._history_user = user  # type: ignore[attr-defined]  # simple_history's way to name who changed it
        section.save()
        self.write_children(section, children, user=user)
        return section

    def write_children(self, section: S, children: Any, *, user: User | None) -> None:
        """Replace the saved section's child rows with `children` (sections with child rows)."""

    # --- many new sections at once (an import of new reports) ---------------------------------

    def write_new(
        self, items: Iterable[tuple[StatusReport, dict[str, Any]]], *, user: User | None
    ) -> list[S]:
        """New sections for (report, data) pairs whose reports have none: every one validated first
        (each message names its report), then all inserted with their history and child rows, in a
        few queries whatever the number of reports."""
        context = self.context()
        sections, children, errors = [], [], []
        for report, data in items:
            section, messages, child = self.model(report=report, updated_by=user), [], None
            try:
                child = self.validate(section, data, context)
            except ValidationError as error:
                messages += error.messages
            try:  # `validate` checked the rules; the fields' own validators remain (the report is new
                # and checked, and the check constraints are the database's copy of the rules)
                section.clean_fields(exclude=["report", "updated_by"])
            except ValidationError as error:
                messages += error.messages
            errors += [
                f"{report.municipality.name}（{report.period.label}）: {message}" for message in messages
            ]
            sections.append(section)
            children.append(child)
        if errors:
            raise ValidationError(errors)
        saved = create_with_history(sections, self.model, user)
        self.insert_children(list(zip(saved, children, strict=True)), user=user)
        return saved

    def insert_children(self, pairs: list[tuple[S, Any]], *, user: User | None) -> None:
        """Child rows of new sections ((saved section, what `validate` returned)), in bulk."""

    # --- carry forward (a new quarter's draft starts from the last approved report) -------------

    def carry_forward(self, targets: list[tuple[int, StatusReport]], *, user: User | None) -> dict[int, int]:
        """Copy the sections of approved reports into new drafts (`targets`: (report id to copy
        from, the report to copy into)), history included, in a few SQL statements for any number.
        A report without this section is skipped. Returns {report id copied into: new section id}."""
        model = self.model
        names = self.copied_fields
        if names is None:
            names = tuple(
                f.name for f in model._meta.concrete_fields if f.name not in model.BOOKKEEPING_FIELDS
            )
        columns: dict[str, str] = {f.name: f.column for f in model._meta.concrete_fields if f.column}
        created = copy_with_history(
            model,
            columns["report"],
            [(source, report.pk) for source, report in targets],
            [columns[name] for name in names],
            {
                "version": 1,
                "updated_at": timezone.now(),
                "updated_by_id": user.pk if user is not None else None,
            },
            user,
        )
        if created:
            sources = dict(
                model._default_manager.filter(report_id__in={s for s, _ in targets}).values_list(
                    "report_id", "pk"
                )
            )
            self.copy_children(
                [(sources[source], created[report.pk]) for source, report in targets if report.pk in created],
                user=user,
            )
        return created

    def copy_children(self, pairs: list[tuple[int, int]], *, user: User | None) -> None:
        """Copy child rows from each source section to its copy ((source id, copy id) pairs)."""
