"""Each user's notices: the list, opening one (which marks it read), marking them read. Only the
user's own notices are found; another's is a 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from council.models import Notice


class NoticeListView(ListView):
    template_name = "council/notices/list.html"
    context_object_name = "notices"
    paginate_by = 50

    def get_queryset(self):
        return Notice.objects.for_user(self.request.user)


class NoticeOpenView(View):
    """Mark the notice read and go to what it is about."""

    def get(self, request, pk):
        notice = get_object_or_404(Notice.objects.for_user(request.user), pk=pk)
        if notice.read_at is None:
            Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
        if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
            return redirect(notice.url)
        return redirect("notices:list")


class NoticeReadView(View):
    """Mark one notice read (POST), or all of the user's notices without a pk."""

    def post(self, request, pk=None):
        notices = Notice.objects.for_user(request.user)
        if pk is not None:
            notices = notices.filter(pk=get_object_or_404(notices, pk=pk).pk)
        count = notices.unread().update(read_at=timezone.now())
        if pk is None:
            messages.success(request, f"{count}件のお知らせを既読にしました。")
        following = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(following, allowed_hosts={request.get_host()}):
            return redirect(following)
        return redirect("notices:list")
