"""Meetings belong to a council (the organising prefecture): another council's people get a 404 on
every meeting URL, lists show the viewer's council only, and numbering is per council."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError
from django.urls import reverse

from council.meetings.services import meeting_copy, meeting_freeze, previous_material
from council.models import ActionItem, AgendaItem, Material, Meeting, Opinion, Role
from tests.factories import UserFactory


@pytest.fixture
def meeting(seeded):
    return Meeting.objects.get(organiser=seeded, fiscal_year=2023, number=1)


@pytest.fixture
def national_member(seeded, django_user_model):
    return UserFactory(username="national", role=Role.MEMBER, organisation=None)


def meeting_urls(meeting, action):
    """Every URL of one meeting (and one of its action items): (method, url)."""
    return [
        ("get", reverse("council:meeting", args=[meeting.pk])),
        ("get", reverse("council:material", args=[meeting.pk, 1])),
        ("get", reverse("council:present", args=[meeting.pk])),
        ("get", reverse("council:print", args=[meeting.pk])),
        ("get", reverse("council:workbook", args=[meeting.pk])),
        ("post", reverse("council:freeze", args=[meeting.pk])),
        ("post", reverse("council:freeze_material", args=[meeting.pk, 1])),
        ("post", reverse("council:copy", args=[meeting.pk])),
        ("get", reverse("council:action", args=[action.pk])),
        ("post", reverse("council:action", args=[action.pk])),
    ]


def assert_all_not_found(client, user, urls):
    client.force_login(user)
    for method, url in urls:
        data = {"held_at": "2024-01-10T10:00", "status": "done"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (user.username, method, url, response.status_code)


def test_another_councils_people_get_404_on_every_meeting_url(
    client, meeting, other_council, staff, member, liaison, hagi
):
    yamaguchi_action = ActionItem.objects.create(meeting=meeting, title="萩市の対応", owner=hagi)
    frozen_at = meeting.materials.get(number=1).frozen_at
    for user in (other_council.staff, other_council.member, other_council.liaison):
        assert_all_not_found(client, user, meeting_urls(meeting, yamaguchi_action))
    hiroshima = other_council.meeting
    for user in (staff, member, liaison):
        assert_all_not_found(client, user, meeting_urls(hiroshima, other_council.town_action))
    # nothing was frozen, copied or updated on the way
    assert meeting.materials.get(number=1).frozen_at == frozen_at
    assert not Material.objects.get(pk=other_council.material.pk).is_frozen
    assert Meeting.objects.count() == 2
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"open"}


def test_own_council_meeting_pages_still_answer(client, other_council):
    hiroshima = other_council.meeting
    client.force_login(other_council.member)
    for name, args in [
        ("council:meeting", [hiroshima.pk]),
        ("council:material", [hiroshima.pk, 1]),
        ("council:present", [hiroshima.pk]),
        ("council:print", [hiroshima.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    client.force_login(other_council.staff)
    assert client.get(reverse("council:workbook", args=[hiroshima.pk])).status_code == 200
    client.force_login(other_council.liaison)
    assert client.get(reverse("council:action", args=[other_council.town_action.pk])).status_code == 200


def test_meeting_list_shows_only_the_viewers_council(
    client, meeting, other_council, member, liaison, staff, national_member
):
    yamaguchi, hiroshima = meeting.full_title, other_council.meeting.full_title
    for user in (member, liaison, staff):
        client.force_login(user)
        page = client.get(reverse("council:meetings")).content.decode()
        assert yamaguchi in page and hiroshima not in page, user.username
    for user in (other_council.member, other_council.liaison, other_council.staff):
        client.force_login(user)
        page = client.get(reverse("council:meetings")).content.decode()
        assert hiroshima in page and yamaguchi not in page, user.username
    client.force_login(national_member)
    page = client.get(reverse("council:meetings")).content.decode()
    assert yamaguchi in page and hiroshima in page


def test_action_items_stay_in_their_council(client, meeting, other_council, staff, member):
    ActionItem.objects.create(meeting=meeting, title="山口県事務局の対応")
    for user in (staff, member):
        client.force_login(user)
        page = client.get(reverse("council:actions")).content.decode()
        assert "山口県事務局の対応" in page, user.username
        assert "広島県事務局の対応" not in page and "広島の町の対応" not in page, user.username
    client.force_login(other_council.member)
    page = client.get(reverse("council:actions")).content.decode()
    assert "広島県事務局の対応" in page and "広島の町の対応" in page and "山口県事務局の対応" not in page


def test_a_national_viewer_sees_each_councils_carried_items_on_its_own_meeting(
    client, meeting, other_council, national_member
):
    """The carried items of a meeting are its council's, even for a viewer who sees every council."""
    later = meeting_copy(
        meeting=meeting, held_at=datetime(2023, 8, 24, 10, tzinfo=ZoneInfo("Asia/Tokyo")), user=None
    )
    ActionItem.objects.create(meeting=meeting, title="山口県から持ち越す事項")
    client.force_login(national_member)
    page = client.get(later.get_absolute_url()).content.decode()
    carried = page.split('id="carried-h"')[1].split("</section>")[0]
    assert "山口県から持ち越す事項" in carried
    assert "広島の町の対応" not in carried and "広島県事務局の対応" not in carried


def test_querysets_narrow_every_meeting_model_to_the_council(meeting, other_council, staff, national_member):
    hiroshima = other_council.meeting
    for model, own, other in [
        (Meeting, meeting, hiroshima),
        (AgendaItem, meeting.agenda_items.first(), other_council.agenda_item),
        (Material, meeting.materials.first(), other_council.material),
        (
            Opinion,
            Opinion.objects.create(meeting=meeting, speaker="萩市", content="山口の意見"),
            other_council.opinion,
        ),
        (
            ActionItem,
            ActionItem.objects.create(meeting=meeting, title="山口の対応"),
            other_council.secretariat_action,
        ),
    ]:
        visible = set(model.objects.for_user(staff))
        assert own in visible and other not in visible, model
        assert other in set(model.objects.for_user(other_council.staff)), model
        assert {own, other} <= set(model.objects.for_user(national_member)), model
        assert not model.objects.for_user(None).exists(), model


def test_numbers_are_per_council_and_a_copy_keeps_its_council(meeting, other_council):
    assert (meeting.fiscal_year, meeting.number) == (
        other_council.meeting.fiscal_year,
        other_council.meeting.number,
    )
    new = meeting_copy(
        meeting=other_council.meeting,
        held_at=datetime(2023, 9, 1, 10, tzinfo=ZoneInfo("Asia/Tokyo")),
        user=None,
    )
    assert new.organiser == other_council.prefecture and new.number == 2
    # 山口県's numbering is its own: its next meeting is its 第2回 too
    assert meeting_copy(meeting=meeting, held_at=new.held_at, user=None).number == 2
    with pytest.raises(IntegrityError):
        Meeting.objects.create(
            organiser=other_council.prefecture, fiscal_year=2023, number=1, held_at=new.held_at
        )


def test_the_previous_material_is_the_same_councils(meeting, other_council):
    """広島県's second meeting compares its 資料 with its own first, not with 山口県's."""
    meeting_freeze(meeting=other_council.meeting, user=None)
    later = meeting_copy(
        meeting=other_council.meeting,
        held_at=datetime(2023, 9, 1, 10, tzinfo=ZoneInfo("Asia/Tokyo")),
        user=None,
    )
    assert previous_material(later.materials.get(number=1)).meeting == other_council.meeting
    later_yamaguchi = meeting_copy(meeting=meeting, held_at=later.held_at, user=None)
    assert previous_material(later_yamaguchi.materials.get(number=7)).meeting == meeting


def test_the_copy_view_keeps_the_council(client, other_council):
    client.force_login(other_council.staff)
    response = client.post(
        reverse("council:copy", args=[other_council.meeting.pk]), {"held_at": "2023-09-01T10:00"}
    )
    assert response.status_code == 302
    new = Meeting.objects.get(organiser=other_council.prefecture, number=2)
    assert new.title == "広島県DX推進会議" and list(new.materials.values_list("number", flat=True)) == [1]
