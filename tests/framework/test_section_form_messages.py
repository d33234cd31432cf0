"""Every error message of a report section's form names a control the person can see (#13).

Two sweeps over every registered section form, so that a new form or message is covered without a
new test:
- every name a message quotes (「…」) is text of the rendered form (a label, a legend, a column
  header, a choice), not a word the form does not show: messages are collected from the modules
  that validate the section (its form, its model and its writer) and from the validators and
  constraints of its fields;
- an error on any field of the form is shown on the page (a field whose template forgot its
  errors would leave the person with 「入力内容に誤りがあります」 and nothing red).
"""

import ast
import importlib
import inspect
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from council import services
from council.framework import registry
from council.models import ReportingPeriod
from council.views.reports import SectionEditView

SECTIONS = registry.sections.all()
QUOTED = re.compile(r"「([^「」\0]+)」")  # a name known only at run time (\0) is not checked


class VisibleText(HTMLParser):
    """The text of the `<form>` a sighted person reads: without scripts, styles and anything inside
    an element of class `visually-hidden` (read by screen readers only) or `hidden`."""

    HIDING = ("visually-hidden",)
    VOID = {"input", "br", "img", "meta", "link", "hr", "wbr", "col", "source"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: does it hide its content?
        self.in_form = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        hides = (
            tag in ("script", "style", "template")
            or "hidden" in attrs
            or any(c in (attrs.get("class") or "").split() for c in self.HIDING)
        )
        self.stack.append(hides)
        if tag == "form":
            self.in_form += 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.stack:
            self.stack.pop()
        if tag == "form":
            self.in_form -= 1

    def handle_data(self, data):
        if self.in_form and not any(self.stack):
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


def _constant_text(node, names: dict) -> str | None:
    """A string constant, or an f-string whose holes are module-level string constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(value.value)
            elif isinstance(value.value, ast.Name) and isinstance(names.get(value.value.id), str):
                parts.append(names[value.value.id])
            else:
                parts.append("\0")  # a value known only at run time (a step's name, a count)
        return "".join(parts)
    return None


def source_messages(module) -> list[str]:
    """Every string a module writes (docstrings aside), f-strings with their constants filled in."""
    tree = ast.parse(inspect.getsource(module))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    names = vars(module)
    texts = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        text = _constant_text(node, names)
        if text is not None and "「" in text:
            texts.append(text)
    return texts


def field_messages(spec, form) -> list[str]:
    """The messages of the form's fields and of the section model's fields and constraints."""
    messages = []
    for field in form.fields.values():
        messages += [str(m) for m in field.error_messages.values()]
        messages += [str(getattr(v, "message", "")) for v in field.validators]
    for model in (spec.model, *[r.related_model for r in spec.model._meta.related_objects]):
        for field in model._meta.fields:
            messages += [str(getattr(v, "message", "")) for v in field.validators]
        messages += [str(c.violation_error_message or "") for c in model._meta.constraints]
    return messages


def section_messages(spec, form) -> list[str]:
    modules = {type(form).__module__, spec.model.__module__, type(spec.writer).__module__, "council.forms"}
    texts = field_messages(spec, form)
    for name in sorted(modules):
        texts += source_messages(importlib.import_module(name))
    return texts


@pytest.fixture
def draft(hagi, liaison):
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    return services.report_start(municipality=hagi, period=period, user=liaison)


def render_page(spec, form, report, user) -> str:
    request = RequestFactory().get(f"/reports/{report.pk}/{spec.key}/")
    request.user = user
    context = {"form": form, "report": report, "section": spec}
    return render_to_string(SectionEditView.template_name, context, request=request)


@pytest.mark.parametrize("spec", SECTIONS, ids=lambda s: s.key)
def test_every_name_an_error_message_quotes_is_on_the_form(client, draft, liaison, spec):
    client.force_login(liaison)
    page = client.get(f"/reports/{draft.pk}/{spec.key}/")
    assert page.status_code == 200
    visible = VisibleText.of(page.content.decode())
    form = spec.form_class(instance=spec.instance_for(draft), report=draft)
    quoted = {name for text in section_messages(spec, form) for name in QUOTED.findall(text)}
    missing = sorted(name for name in quoted if name not in visible)
    assert not missing, f"{spec.key}: messages quote what the form does not show: {missing}"


def test_the_sweep_reads_messages_of_validators_constraints_and_code(draft):
    spec = registry.sections.get("dx")
    form = spec.form_class(instance=spec.instance_for(draft), report=draft)
    quoted = {name for text in section_messages(spec, form) for name in QUOTED.findall(text)}
    # a choice in clean(), a label through a module constant in an f-string, a validator's message
    assert {"策定予定", "外部人材確保（CIO補佐官等）", "情報職の採用"} <= quoted
    step = registry.sections.get("standardization")
    assert "一部" in {
        n for t in section_messages(step, step.form_class(report=draft)) for n in QUOTED.findall(t)
    }


@pytest.mark.parametrize("spec", SECTIONS, ids=lambda s: s.key)
def test_an_error_on_any_field_is_shown_on_the_page(draft, liaison, spec):
    form = spec.form_class({"expected_version": "0"}, instance=spec.instance_for(draft), report=draft)
    form.is_valid()
    markers = {name: f"誤りの目印-{name}" for name in form.fields}
    for name, marker in markers.items():
        form.add_error(name, ValidationError(marker))
    form.add_error(None, ValidationError("誤りの目印-全体"))
    html = render_page(spec, form, draft, liaison)
    missing = [name for name, marker in markers.items() if marker not in html]
    assert "誤りの目印-全体" in html
    assert not missing, f"{spec.key}: errors of these fields are not shown: {missing}"
