from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from council import entry, wareki
from council.framework.charts import plotly_text

register = template.Library()


@register.filter
def wareki_date(value):
    """{{ d|wareki_date }} → 令和5年5月11日(木)"""
    return wareki.wareki_date(value)


@register.filter
def minutes(value):
    """{{ timedelta|minutes }} → 15 (whole minutes, rounded up: never promise less than the wait)."""
    seconds = int(value.total_seconds())
    return -(-seconds // 60)


@register.filter
def wareki_datetime(value):
    return wareki.wareki_datetime(value)


@register.filter
def wareki_fiscal_year(value):
    return wareki.wareki_fiscal_year(value) if value else ""


@register.inclusion_tag("framework/includes/chart.html")
def chart(chart):
    # stored names are text in the figure, never markup (frozen meeting figures included)
    return {"chart": chart, "figure": plotly_text(chart.figure_data()), "figure_id": f"{chart.dom_id}-data"}


@register.simple_tag
def status_badge(report):
    if report is None:
        return mark_safe('<span class="badge badge-none">未着手</span>')
    return format_html('<span class="badge badge-{}">{}</span>', report.status, report.get_status_display())


@register.filter
def person(user):
    """{{ event.user|person }} → 県 担当（山口県）: a user's name as others read it (the full name, else
    the user name) with their organisation; 「システム」 for the system (seed, imports)."""
    if user is None:
        return "システム"
    name = user.get_full_name() or user.get_username()
    profile = getattr(user, "portal_profile", None)
    organisation = profile.organisation if profile is not None and profile.organisation_id else None
    return f"{name}（{organisation.name}）" if organisation else name


@register.simple_tag(takes_context=True)
def session_timer(context):
    """{% session_timer as timer %}: when the login expires (seconds from now) and how long before
    to warn, for a data-entry page; None when the expiry is not known."""
    request = context.get("request")
    seconds = entry.expires_in(request) if request is not None else None
    if seconds is None:
        return None
    return {"expires_in": seconds, "warn_before": entry.warning_seconds()}


@register.filter
def shown_rows(table):
    """{% for row in table|shown_rows %}: a material's rows as its workbook shows them (8 → 8手続)."""
    from council.meetings.services import shown_rows

    return shown_rows(table)


@register.filter
def shown_footer(table):
    from council.meetings.services import shown_rows

    return shown_rows(table, "footer")
