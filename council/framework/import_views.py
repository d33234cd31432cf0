"""The dry-run-then-confirm import page shared by every app."""

import logging

from django import forms
from django.contrib import messages
from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from council.framework import registry
from council.framework.import_stash import StashRefused, import_stash_confirm, import_stash_put
from council.framework.imports import Importer, RowError, run_import, upload_limit
from council.roles import Role
from council.views.base import RoleRequiredMixin

logger = logging.getLogger(__name__)

STASH_FAILED = (
    "確認はできましたが、ファイルを取り込みまで保管できませんでした（サーバーの空き容量の不足など）。"
    "何も書き込んでいません。時間をおいてもう一度ファイルを選ぶか、システムの管理者に連絡してください。"
)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel ファイル（.xlsx）",
        error_messages={"required": "ファイルを選んでください。", "empty": "ファイルが空です。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Excel ファイル（.xlsx）を選んでください。")
        limit = upload_limit()
        if upload.size > limit:  # refused before it is read into memory
            raise forms.ValidationError(f"ファイルが大きすぎます（上限 {limit // (1024 * 1024)} MB）。")
        return upload


class ImportView(RoleRequiredMixin, TemplateView):
    """GET: the upload form. POST a file: a dry run listing every bad row, or a preview with a
    confirm button (the file waits in `ImportStash`). POST the confirm token: validate again and
    write it all in one transaction (`import_stash_confirm`)."""

    allowed_roles = (Role.STAFF,)
    template_name = "framework/import.html"
    importer_class: type[Importer] = Importer
    success_url = "/"
    #: the agenda app whose dashboard is above this page in the breadcrumbs
    parent_app = ""
    heading = ""
    instructions = ""

    def get_importer(self) -> Importer:
        return self.importer_class()

    def get_importer_key(self) -> str:
        """The import a stashed file belongs to: its token is unknown on another import's page."""
        return f"{self.importer_class.__module__}.{self.importer_class.__qualname__}"

    def get_context_data(self, **kwargs):
        importer = self.get_importer()
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context.update(
            importer=importer,
            heading=self.heading or importer.title,
            instructions=self.instructions,
            trail=self.get_trail(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        result = run_import(self.get_importer(), content, request.user, commit=False)
        if not result.ok:
            return self.render_to_response(self.get_context_data(form=form, result=result), status=400)
        try:
            stash = import_stash_put(
                user=request.user, importer_key=self.get_importer_key(), filename=upload.name, content=content
            )
        except DatabaseError:  # a full disk, a quota: the stash's transaction left nothing behind
            logger.exception("import stash not saved")
            return self.render_to_response(
                self.get_context_data(form=form, stash_failed=STASH_FAILED), status=503
            )
        return self.render_to_response(
            self.get_context_data(result=result, token=stash.token, filename=upload.name)
        )

    def confirm(self, request):
        try:
            stash, result = import_stash_confirm(
                token=request.POST.get("token", ""),
                user=request.user,
                importer_key=self.get_importer_key(),
                importer=self.get_importer(),
            )
        except StashRefused as refused:
            messages.error(request, refused.message)
            return redirect(request.path)
        if not result.ok:
            return self.render_to_response(self.get_context_data(result=result), status=400)
        messages.success(request, f"{stash.filename} を取り込みました。{result.summary}")
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.success_url

    def get_trail(self) -> list[tuple[str, str]]:
        """The breadcrumbs above this page (label, url), below the top page: the page an import
        returns to, by default."""
        if not self.parent_app:
            return []
        return [(registry.apps.get(self.parent_app).title, reverse(f"{self.parent_app}:dashboard"))]


__all__ = ["ImportView", "RowError", "UploadForm"]
