"""Every form is laid out by the same components (templates/components/): the label with 「必須」 where a
field is required, the hint, the input, the error below the input, and a summary at the top of the
form that links to each field in error."""

import re

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

NEW = "Kx8#pQ2!wLm9"


class Example(forms.Form):
    name = forms.CharField(label="担当所属", help_text="課・室の名称")
    count = forms.IntegerField(label="人数", required=False)
    agree = forms.BooleanField(label="確認しました")


def test_a_field_shows_label_required_mark_hint_input_then_error():
    form = Example(data={"count": "abc"})
    html = render_to_string("components/form_fields.html", {"form": form})
    name = html[html.index('id="id_name_field"') : html.index('id="id_count_field"')]
    assert "担当所属" in name and "必須" in name
    positions = [
        name.index(marker)
        for marker in ("担当所属", "課・室の名称", 'name="name"', "このフィールドは必須です")
    ]
    assert positions == sorted(positions)  # label, hint, input, then the error below it
    count = html[html.index('id="id_count_field"') : html.index('id="id_agree_field"')]
    assert "必須" not in count and "整数を入力してください" in count


def test_the_summary_links_to_each_field_in_error():
    form = Example(data={"count": "abc"})
    html = render_to_string("components/error_summary.html", {"form": form})
    assert "入力内容を確認してください（3件）" in html
    links = re.findall(r'<a href="#(\w+)">([^<]+)</a>', html)
    assert [target for target, _ in links] == ["id_name_field", "id_count_field", "id_agree_field"]
    assert links[1][1].startswith("人数: ")
    assert render_to_string("components/error_summary.html", {"form": Example()}).strip() == ""


def test_password_change_errors_are_summarised_above_the_form(client, liaison):
    client.force_login(liaison)
    response = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    html = response.content.decode()
    summary = html.index('class="error-summary"')
    assert summary < html.index('name="old_password"')
    assert 'href="#id_old_password_field"' in html
    assert html.count("元のパスワードが間違っています") == 2  # in the summary and below the field
