"""The page skeleton's components (#18): breadcrumbs and the page title block, fed one way on every page.

{% load page %}
{% block breadcrumbs %}{% url 'reports:list' as reports %}{% breadcrumbs "状況報告" reports current=report %}{% endblock %}
{% page_title %}萩市 令和5年度 第1四半期の状況報告{% lead %}…{% actions %}<a class="button" …>…</a>{% endpage_title %}
"""

from django import template
from django.template.loader import render_to_string

from council.context_processors import links
from council.framework import registry

register = template.Library()


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *pairs, current, trail=()):
    """The trail from the top down to this page: the top page first by itself (トップ, or ログイン for
    someone not logged in), then the pages above as label, url pairs (written in the tag, or `trail`,
    a view's list of pairs), then this page's label, which is not a link."""
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes label, url pairs and current=label")
    user = context.get("user")
    urls = links()
    top = ("トップ", urls["home"]) if user and user.is_authenticated else ("ログイン", urls["login"])
    above = [top, *trail, *((pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2))]
    return {"above": above, "current": current}


class PageTitleNode(template.Node):
    def __init__(self, heading, lead, actions):
        self.heading, self.lead, self.actions = heading, lead, actions

    def render(self, context):
        parts = {
            name: nodelist.render(context).strip() if nodelist is not None else ""
            for name, nodelist in (("heading", self.heading), ("lead", self.lead), ("actions", self.actions))
        }
        return render_to_string("components/page_title.html", parts)


@register.tag
def page_title(parser, token):
    """The page's one <h1>, with an optional lead (a line under it) and actions (buttons beside it):
    {% page_title %}heading{% lead %}text{% actions %}buttons{% endpage_title %}."""
    sections = {"heading": None, "lead": None, "actions": None}
    name = "heading"
    while True:
        sections[name] = parser.parse(("lead", "actions", "endpage_title"))
        name = parser.next_token().contents
        if name == "endpage_title":
            break
    return PageTitleNode(sections["heading"], sections["lead"], sections["actions"])


@register.simple_tag
def app_title(app_key):
    """An agenda app's title (its dashboard's name in the breadcrumbs): {% app_title "rpa" as title %}."""
    return registry.apps.get(app_key).title
