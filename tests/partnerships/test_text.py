"""Control characters: cleaned or refused with a message at every entry point."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships.text import clean_text, strip_for_file
from tests.factories import CouncilMembershipFactory, WorkingGroupFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND, change_form_data
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mark", ["\x0b", "\x0c", "\u2028", "\r\n", "\x85"])
def test_line_break_look_alikes_become_line_breaks(mark):
    assert clean_text(f"one{mark}two") == "one\ntwo"
    assert clean_text(f"one{mark}two", multiline=False) == "one two"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x9f"])
def test_other_control_characters_are_refused_with_their_position(char):
    with pytest.raises(ValidationError) as caught:
        clean_text(f"ab{char}c")
    assert "position 3" in caught.value.messages[0]


def test_tabs_and_plain_text_pass():
    assert clean_text("Co-chair\tEast") == "Co-chair\tEast"
    assert clean_text("Réseau œuvre") == "Réseau œuvre"


def test_files_never_receive_control_characters():
    assert strip_for_file("a\x00b\x0bc") == "ab\nc"
    assert strip_for_file(3) == 3


def test_word_line_break_in_an_admin_title_is_cleaned(client):
    member = CouncilMembershipFactory()
    client.force_login(coordinator_of(member.council.partnership), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_councilmembership_change", args=[member.pk])
    data = change_form_data(client.get(url))
    data["title"] = "Director\x0bSettlement"
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.title == "Director Settlement"


def test_control_character_in_an_admin_text_is_refused(client):
    group = WorkingGroupFactory()
    client.force_login(coordinator_of(group.partnership), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_workinggroup_change", args=[group.pk])
    data = change_form_data(client.get(url))
    data["description"] = "Meets\x1bmonthly"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "control character" in response.content.decode()
    group.refresh_from_db()
    assert "\x1b" not in group.description


def test_multiline_text_keeps_word_line_breaks_as_lines(client):
    group = WorkingGroupFactory()
    client.force_login(coordinator_of(group.partnership), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_workinggroup_change", args=[group.pk])
    data = change_form_data(client.get(url))
    data["how_to_join"] = "Write to us.\x0bWe meet monthly."
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert group.how_to_join == "Write to us.\nWe meet monthly."


def test_rows_saved_before_the_rule_are_cleaned_by_the_migration_helper():
    from partnerships.models import CouncilMembership, WorkingGroup
    from partnerships.text_cleanup import clean_stored_text

    member = CouncilMembershipFactory()
    untouched = CouncilMembershipFactory(title="Plain")
    CouncilMembership.objects.filter(pk=member.pk).update(title="Director\x0bSettlement\x1b")
    group = WorkingGroupFactory()
    WorkingGroup.objects.filter(pk=group.pk).update(how_to_join="Write.\x0bMeet.\u2028Join.")
    assert clean_stored_text(CouncilMembership) == 1
    assert clean_stored_text(WorkingGroup) == 1
    member.refresh_from_db()
    group.refresh_from_db()
    untouched.refresh_from_db()
    assert member.title == "Director Settlement"
    assert group.how_to_join == "Write.\nMeet.\nJoin."
    assert untouched.title == "Plain"
