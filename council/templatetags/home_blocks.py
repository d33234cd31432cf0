"""`{% home_blocks %}`: the blocks agenda apps add to the home page (registry.add_home_block)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from council.framework import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def home_blocks(context):
    request = context["request"]
    parts = []
    for name, build in registry.home_blocks:
        data = build(request)
        if data is not None:
            parts.append(render_to_string(name, data, request))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, escaped by Django
