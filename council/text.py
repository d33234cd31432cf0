"""Text as people paste it: one-line names and codes without invisible characters.

`clean_text()` is the one normaliser (plain Python, for the admin and forms through `NameField`, and
for importers to call on the cells they read): it removes format characters (Unicode category Cf:
bidi embeddings, overrides, isolates and marks, the BOM, zero-width spaces and joiners, the soft
hyphen) and control characters (Cc: NUL, tab, line breaks), which no name or code contains, then
surrounding whitespace. They are invisible on screen, yet they make two identical-looking names
differ (a duplicate 萩市, a code that matches nothing) and a right-to-left override reverses how a
name reads. Visible characters are left alone (full-width letters stay full-width).
"""

import unicodedata

from django import forms
from django.db import models

INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc"})


def clean_text(value: str) -> str:
    """`value` without format and control characters, stripped: "\\ufeff萩\\u200b市 " → "萩市"."""
    if value.isprintable():  # the usual case, checked in C: it holds no Cf or Cc character
        return value.strip()
    return "".join(c for c in value if unicodedata.category(c) not in INVISIBLE_CATEGORIES).strip()


def clean_lines(value: str) -> str:
    """Text that may run over several lines (a note): the same, but line breaks and tabs stay."""
    return "".join(
        c for c in value if c in "\n\t" or unicodedata.category(c) not in INVISIBLE_CATEGORIES
    ).strip()


def quoted(value, limit: int = 30) -> str:
    """What a message quotes of a typed value: visible, one line, and at most `limit` characters
    (a pasted essay or 5,000 digits is shown by its start)."""
    text = clean_text(str(value))
    return text if len(text) <= limit else text[:limit] + "…"


class NameFormField(forms.CharField):
    """A form field for a name or a code: the value through `clean_text` before its validators (a
    pasted code with a BOM is still 6 characters long)."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value


class NameField(models.CharField):
    """A CharField for a name or a code: its form field (the admin, model forms) and cleaning the model
    (`full_clean()`: django-import-export, imports that validate their instances) store it through
    `clean_text`, before its validators and uniqueness are checked.

    The cleaning is Python only, so migrations record a plain CharField (no schema change, and no
    migration when a field starts or stops using it)."""

    def clean(self, value, model_instance):
        if isinstance(value, str):
            value = clean_text(value)
        return super().clean(value, model_instance)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NameFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
