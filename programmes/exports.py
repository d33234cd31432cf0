"""資料6 Excel book: the materials' tables (budgets with their breakdowns, sub-programmes, schemes and
calls with caps and windows, the course list, Y-BASE cases, infrastructure) and the uptake per
municipality. Amounts are numbers (千円 in the header), dates are dates."""

from __future__ import annotations

from council.framework.xlsx import Sheet
from programmes.dashboards import dashboard_data


def _yes(flag: bool) -> str:
    return "新" if flag else ""


def build_programmes_book(year, organisations) -> list[Sheet]:
    from council.framework.dashboards import Selected

    data = dashboard_data(Selected(year), organisations)
    budget_rows: list[list] = []
    for p in data["programmes"]:
        lines = list(p.budget_lines.all())
        budget_rows.append([p.name, p.department, _yes(p.is_new), p.budget, "", "", None])
        budget_rows += [["", "", "", None, line.label, line.detail, line.amount] for line in lines]
    budgets = Sheet(
        title="資料6 事業と予算",
        preface=["デジタル関連の県の取組状況等について", f"（{year.label}）"],
        headers=["事業名", "担当課", "新規", "予算額（千円）", "区分", "内容", "見積額（千円）"],
        rows=budget_rows,
        footer=[[w] for w in data["warnings"]],
        widths=[32, 16, 6, 14, 36, 60, 14],
    )
    subs = Sheet(
        title="細事業",
        headers=["事業名", "分野", "細事業名", "新規", "事業概要", "募集時期等"],
        rows=[
            [p.name, s.field, s.name, _yes(s.is_new), s.summary, s.timing]
            for p in data["programmes"]
            for s in p.sub_programmes.all()
        ],
        widths=[28, 20, 36, 6, 60, 44],
    )
    offers = Sheet(
        title="支援制度・国の公募・催し",
        headers=[
            "種類",
            "まとまり",
            "名称",
            "実施主体",
            "上限額（千円）",
            "上限額の単位",
            "上限額の内訳",
            "補助率",
            "受付開始日",
            "受付締切日",
            "開催日",
            "日程・手順",
            "申込・参加団体数",
        ],
        rows=[
            [
                o.get_kind_display(),
                o.group,
                o.title,
                o.provider,
                o.cap,
                o.cap_unit,
                o.cap_detail,
                o.rate,
                o.opens,
                o.closes,
                o.held_on,
                "\n".join(f"{step} {when}".strip() for step, when in o.steps),
                o.registered,
            ]
            for o in data["schemes"] + data["calls"] + data["events"]
        ],
        widths=[14, 30, 30, 30, 12, 10, 30, 14, 12, 12, 12, 40, 12],
    )
    courses = Sheet(
        title="研修一覧",
        preface=["山口県デジタル人材育成方針に基づく令和5年度研修について"]
        if year.fiscal_year == 2023
        else [],
        headers=[
            "No",
            "研修名称",
            "分類",
            "予定時期",
            "研修時間",
            "県における研修対象者※",
            "申込・参加団体数",
        ],
        rows=[
            [o.number, o.title, o.category, o.timing, o.length, o.target, o.registered]
            for o in data["courses"]
        ],
        widths=[5, 26, 12, 10, 14, 50, 12],
    )
    cases = Sheet(
        title="Y-BASEの支援",
        headers=["市町名", "分野", "件名", "現状・相談内容", "Y-BASEからの提案", "状況"],
        rows=[
            [
                c.organisation.name,
                c.get_topic_display(),
                c.title,
                c.request,
                c.proposal,
                c.get_status_display(),
            ]
            for c in data["cases"]
        ],
        widths=[12, 16, 24, 60, 60, 16],
    )
    milestones = Sheet(
        title="情報通信基盤",
        headers=["取組", "内容", "時期", "期日", "対象団体数"],
        rows=[[m.group, m.title, m.timing, m.due, m.organisations] for m in data["milestones"]],
        widths=[34, 50, 14, 12, 10],
    )
    uptake = Sheet(
        title="市町別の参加状況",
        headers=["市町名", "申込", "関心あり", "参加", "参加人数", "Y-BASEの支援案件"],
        rows=[
            [r["name"], r["application"], r["interest"], r["attended"], r["participants"], r["cases"]]
            for r in data["uptake"]
        ],
        widths=[14, 8, 10, 8, 10, 16],
    )
    return [budgets, subs, offers, courses, cases, milestones, uptake]
