"""Helpers of the account tests: a sheet, a mail's link, a lockout."""

import io
import re

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council.accounts.imports import HEADERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(rows, headers=HEADERS, name="accounts.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def browser_sheet(rows, name="accounts.xlsx") -> dict:
    """`sheet` as Playwright's `set_input_files` takes a file."""
    upload = sheet(rows, name=name)
    return {"name": name, "mimeType": XLSX, "buffer": upload.read()}


def link_in(mail) -> str:
    """The path of the one set-password link (an invitation's or a reset's) in a mail's body."""
    links = re.findall(r"https?://[^\s/]+(/accounts/(?:invitation|reset)/\S+/)", mail.body)
    assert len(links) == 1, mail.body
    return links[0]


def lock_out(client, username, failures=5):
    for _ in range(failures):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})
    client.logout()
