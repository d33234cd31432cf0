"""The dry-run-then-confirm import page shared by every app."""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from council.framework import cache as dashboard_cache
from council.framework.imports import DEFAULT_MAX_UPLOAD_BYTES, Importer, RowError, run_import
from council.roles import Role
from council.views.base import RoleRequiredMixin

SESSION_KEY = "portal_imports"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel ファイル（.xlsx）",
        error_messages={"required": "ファイルを選んでください。", "empty": "ファイルが空です。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Excel ファイル（.xlsx）を選んでください。")
        limit = getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)
        if upload.size > limit:  # refused before it is read into memory
            raise forms.ValidationError(f"ファイルが大きすぎます（上限 {limit // (1024 * 1024)} MB）。")
        return upload


def stash_dir() -> Path:
    path = Path(getattr(settings, "PORTAL_IMPORT_STASH", settings.BASE_DIR / "var" / "imports"))
    path.mkdir(parents=True, exist_ok=True)
    return path


class ImportView(RoleRequiredMixin, TemplateView):
    """GET: the upload form. POST a file: a dry run listing every bad row, or a preview with a
    confirm button. POST the confirm token: validate again and write it all in one transaction."""

    allowed_roles = (Role.STAFF,)
    template_name = "framework/import.html"
    importer_class: type[Importer] = Importer
    success_url = "/"
    heading = ""
    instructions = ""

    def get_importer(self) -> Importer:
        return self.importer_class()

    def get_context_data(self, **kwargs):
        importer = self.get_importer()
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context.update(
            importer=importer, heading=self.heading or importer.title, instructions=self.instructions
        )
        return context

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        content = form.cleaned_data["file"].read()
        result = run_import(self.get_importer(), content, request.user, commit=False)
        if not result.ok:
            return self.render_to_response(self.get_context_data(form=form, result=result), status=400)
        token = secrets.token_urlsafe(16)
        (stash_dir() / f"{token}.xlsx").write_bytes(content)
        request.session.setdefault(SESSION_KEY, {})[token] = form.cleaned_data["file"].name
        request.session.modified = True
        return self.render_to_response(
            self.get_context_data(result=result, token=token, filename=form.cleaned_data["file"].name)
        )

    def confirm(self, request):
        token = request.POST.get("token", "")
        stashed = request.session.get(SESSION_KEY, {})
        path = stash_dir() / f"{token}.xlsx"
        if token not in stashed or not path.exists():
            messages.error(
                request, "確認済みのファイルが見つかりません。もう一度ファイルを選んで確認してください。"
            )
            return redirect(request.path)
        result = run_import(self.get_importer(), path.read_bytes(), request.user, commit=True)
        if not result.ok:
            context = self.get_context_data(result=result)
            return self.render_to_response(context, status=400)
        path.unlink(missing_ok=True)
        dashboard_cache.invalidate()
        filename = stashed.pop(token)
        request.session.modified = True
        messages.success(request, f"{filename} を取り込みました。{result.summary}")
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.success_url


__all__ = ["ImportView", "RowError", "UploadForm"]
