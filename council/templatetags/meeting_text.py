"""`{{ material.narrative|narrative }}`: a material's text in the safe Markdown subset
(council.meetings.narrative)."""

from django import template

from council.meetings.narrative import render_narrative

register = template.Library()


@register.filter
def narrative(value):
    return render_narrative(value or "")
