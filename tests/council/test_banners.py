"""Notification banners (#18): the kind of a message in words as well as colour — 完了, 注意, エラー — and
an error read out at once by a screen reader."""

from django.contrib import messages
from django.template.loader import render_to_string
from django.test import RequestFactory


def rendered(level, text: str) -> str:
    request = RequestFactory().get("/")
    request.session = {}
    from django.contrib.messages.storage.fallback import FallbackStorage

    storage = FallbackStorage(request)
    request._messages = storage
    messages.add_message(request, level, text)
    return render_to_string("base.html", {"messages": storage}, request=request)


def test_each_kind_is_said_in_words():
    success = rendered(messages.SUCCESS, "保存しました。")
    assert '<strong class="banner-label">完了</strong> 保存しました。' in success
    assert 'class="message message-success banner" role="status"' in success
    error = rendered(messages.ERROR, "保存できませんでした。")
    assert '<strong class="banner-label">エラー</strong> 保存できませんでした。' in error
    assert 'role="alert"' in error
    assert '<strong class="banner-label">注意</strong>' in rendered(
        messages.WARNING, "期限が近づいています。"
    )
