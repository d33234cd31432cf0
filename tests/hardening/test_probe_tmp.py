import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def opts(html, name):
    sel = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return {
        label.strip(): value
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', sel)
    }


@pytest.mark.parametrize(
    "model,fmt",
    [
        (m, f)
        for m in [
            "council/municipality",
            "council/reportingperiod",
            "standardization/operation",
            "standardization/step",
            "standardization/deadlineoverride",
            "online_procedures/procedure",
        ]
        for f in ["csv", "xlsx", "tsv"]
    ],
)
def test_p(client, staff, model, fmt):
    client.force_login(staff)
    html = client.get(f"/admin/{model}/export/").content.decode()
    fm = opts(html, "format")
    fields = re.findall(r'name="(\w+resource_\w+)"', html)
    r = client.post(
        f"/admin/{model}/export/", {"format": fm[fmt], "resource": 0, **{f: "on" for f in fields}}
    )
    body = r.content
    r = client.post(
        f"/admin/{model}/import/",
        {"format": fm[fmt], "resource": 0, "import_file": SimpleUploadedFile("m." + fmt, body)},
    )
    h = r.content.decode()
    types = re.findall(r'<tr class="(new|skip|update|delete)">', h)
    errs = re.findall(r"errorlist[^>]*>(.*?)</ul", h, re.S)[:2]
    print("RESULT", model, fmt, r.status_code, {t: types.count(t) for t in set(types)}, errs)
