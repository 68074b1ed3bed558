"""The coordinator workspace on a laptop and in French (issue 8): the council page's roster,
the French admin, the 403 page, history pages, one-partnership defaults, the sample flag."""

from __future__ import annotations

import datetime
import itertools
import logging

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnerships.models import CouncilMembership, Role, Sector
from tests.factories import (
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    UserFactory,
)
from tests.partnerships.admin_helpers import MODEL_BACKEND, change_form_data, inline_prefix
from tests.partnerships.factories_admin import coordinator_of, funder

pytestmark = pytest.mark.django_db

ROW_COLUMNS = ["person_name", "organization", "sector", "role", "voting", "term_end"]
PANEL_FIELDS = ["title", "phone", "term_start", "left_on"]


def council_url(council, language: str = "en") -> str:
    with translation.override(language):
        return reverse("admin:partnerships_council_change", args=[council.pk])


_serial = itertools.count()


def grow(council, n: int) -> list[CouncilMembership]:
    """``n`` members with names, titles and organizations as long as real ones."""
    sectors = list(Sector.objects.order_by("pk"))
    today = timezone.localdate()
    members = []
    for _ in range(n):
        i = next(_serial)
        organization = OrganizationFactory(
            name=f"Calgary Immigrant Services and Newcomer Employment Centre {i:03d}",
            sector=sectors[i % len(sectors)],
        )
        members.append(
            CouncilMembershipFactory(
                council=council,
                organization=organization,
                person_name=f"Marie-Thérèse Okonkwo-Fernandez {i:03d}",
                title="Regional Settlement Services Consultant",
                term_end=today + datetime.timedelta(days=30 * (i % 40)),
                publish_consent=i % 2 == 0,
            )
        )
    return members


@pytest.fixture
def council_client(client, world):
    """Partnership A's coordinator on A's council page."""
    a, _, user = world
    client.force_login(user, backend=MODEL_BACKEND)
    return client, a["council"]


# -- the roster ---------------------------------------------------------------------------


def test_roster_row_holds_the_columns_that_matter(council_client):
    client, council = council_client
    response = client.get(council_url(council))
    formset = response.context["inline_admin_formsets"][0]
    row = formset.formset.forms[0]
    for name in [*ROW_COLUMNS, "publish_consent", *PANEL_FIELDS]:
        assert name in row.fields, name
    html = response.content.decode()
    assert html.count("<details>") == len(formset.formset.forms) + 1  # and the empty form


def test_rarely_used_fields_sit_in_the_rows_panel_with_a_link_to_the_member(council_client):
    client, council = council_client
    member = council.memberships.get()
    html = client.get(council_url(council)).content.decode()
    panel = html[html.index("<details>") : html.index("</details>")]
    for name in PANEL_FIELDS:
        assert f'name="m-0-{name}"' in panel, name
    assert reverse("admin:partnerships_councilmembership_change", args=[member.pk]) in panel


def test_date_fields_are_native_date_inputs_without_the_calendar_script(council_client):
    """The time-zone note comes from DateTimeShortcuts.js on every ``vDateField``."""
    client, council = council_client
    html = client.get(council_url(council)).content.decode()
    assert 'type="date" name="m-0-term_end"' in html
    assert "vDateField" not in html
    assert "DateTimeShortcuts.js" not in html


def test_the_council_summary_stays_above_the_roster(council_client):
    client, council = council_client
    html = client.get(council_url(council)).content.decode()
    assert html.index("council-representation") < html.index('id="m-group"')


def test_roster_page_runs_the_same_queries_at_5_and_40_members(
    council_client, django_assert_max_num_queries
):
    client, council = council_client
    grow(council, 4)
    client.get(council_url(council))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        client.get(council_url(council))
    grow(council, 35)
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get(council_url(council))
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 40


@pytest.mark.parametrize("language", ["en", "fr"])
def test_roster_page_of_40_members_weighs_under_150_kb(council_client, language):
    client, council = council_client
    grow(council, 39)
    response = client.get(council_url(council, language))
    assert council.memberships.count() == 40
    assert len(response.content) < 150_000, len(response.content)
    print(f"council page, 40 members: {len(response.content)} bytes")


def test_five_members_updated_in_one_save(council_client):
    client, council = council_client
    members = grow(council, 5)
    page = client.get(council_url(council))
    data = change_form_data(page)
    prefix = inline_prefix(page, "councilmembership")
    rows = {data[k]: k[: -len("-id")] for k in data if k.startswith(prefix) and k.endswith("-id")}
    new_end = datetime.date(2030, 6, 30)
    for member in members:
        row = rows[str(member.pk)]
        data[f"{row}-term_end"] = new_end.isoformat()
        data[f"{row}-role"] = Role.OBSERVER
        data[f"{row}-title"] = "Observer for the region"
    response = client.post(council_url(council), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    for member in members:
        member.refresh_from_db()
        assert (member.term_end, member.role, member.title) == (
            new_end,
            Role.OBSERVER,
            "Observer for the region",
        )


def test_members_who_left_come_after_current_ones_and_say_so(council_client):
    client, council = council_client
    gone = CouncilMembershipFactory(council=council, left_on=datetime.date(2025, 6, 30))
    response = client.get(council_url(council))
    forms = response.context["inline_admin_formsets"][0].formset.forms
    assert forms[-1].instance == gone
    assert "left on 2025-06-30" in response.content.decode()


def test_the_council_page_has_no_navigation_sidebar(council_client):
    client, council = council_client
    assert 'id="nav-sidebar"' not in client.get(council_url(council)).content.decode()


def test_funder_reads_the_roster_without_withheld_contacts(client, world):
    a, _, _ = world
    CouncilMembershipFactory(council=a["council"], person_name="Hidden Person", phone="555-0199")
    client.force_login(funder(), backend=MODEL_BACKEND)
    html = client.get(council_url(a["council"])).content.decode()
    assert "Hidden Person" not in html and "555-0199" not in html


# -- the French admin ---------------------------------------------------------------------


def test_french_admin_is_served_under_fr(client_a):
    response = client_a.get("/fr/admin/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


def test_english_admin_stays_at_admin(client_a):
    response = client_a.get("/admin/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


def test_browser_preferring_french_is_sent_to_the_french_admin(client_a, world):
    target = council_url(world[0]["council"])
    response = client_a.get(f"{target}?x=1", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == f"/fr{target}?x=1"
    assert "Accept-Language" in response["Vary"]


def test_a_chosen_language_wins_over_the_browser(client_a):
    client_a.cookies["django_language"] = "en"
    assert client_a.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_posts_to_the_english_admin_are_never_redirected(client_a, world):
    target = council_url(world[0]["council"])
    response = client_a.post(target, {}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code != 302 or not response["Location"].startswith("/fr/")


def test_language_switch_in_the_admin_header_keeps_the_page(client_a, world):
    target = council_url(world[0]["council"], "fr")
    html = client_a.get(target).content.decode()
    assert 'action="/fr/i18n/setlang/"' in html and 'value="en"' in html
    response = client_a.post("/fr/i18n/setlang/", {"language": "en", "next": target})
    assert response["Location"] == council_url(world[0]["council"], "en")
    assert response.cookies["django_language"].value == "en"


def test_funder_page_exists_in_both_languages(client):
    client.force_login(funder(), backend=MODEL_BACKEND)
    assert client.get("/admin/funders/").status_code == 200
    french = client.get("/fr/admin/funders/")
    assert french.status_code == 200
    assert '<html lang="fr"' in french.content.decode()


def test_set_password_link_exists_in_both_languages(client):
    user = UserFactory(is_staff=True)
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    for language in ("en", "fr"):
        with translation.override(language):
            url = reverse("admin_set_password", args=[uid, token])
        assert url.startswith("/fr/admin/" if language == "fr" else "/admin/")
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert "new_password1" in response.content.decode()


def test_project_strings_are_french_in_the_french_admin(client_a, world):
    html = client_a.get(council_url(world[0]["council"], "fr")).content.decode()
    for french in ["Répertoire des partenariats", "Personne", "Consentement", "Plus"]:
        assert french in html, french


# -- the 403 page -------------------------------------------------------------------------


@pytest.fixture
def quiet_security_log():
    logger = logging.getLogger("partnerships.security")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(previous)


def test_forbidden_admin_page_explains_and_offers_a_way_back(client_a, world, quiet_security_log):
    a, b, _ = world
    response = client_a.get(council_url(b["council"]))
    assert response.status_code == 403
    html = response.content.decode()
    assert 'id="site-name"' in html  # the admin's look
    own = reverse("admin:partnerships_partnership_change", args=[a["partnership"].pk])
    assert f'href="{own}"' in html
    assert f'href="{reverse("admin:index")}"' in html


def test_forbidden_admin_page_in_french(client_a, world, quiet_security_log):
    response = client_a.get(council_url(world[1]["council"], "fr"))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert 'href="/fr/admin/"' in html


def test_forbidden_page_links_back_only_to_this_site(client_a, world, quiet_security_log):
    response = client_a.get(
        council_url(world[1]["council"]), HTTP_REFERER="https://evil.example/phish"
    )
    assert "evil.example" not in response.content.decode()


def test_forbidden_public_page_uses_the_sites_look(rf):
    from django.core.exceptions import PermissionDenied

    from config.errors import permission_denied

    request = rf.get("/partnerships/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert reverse("directory:home") in response.content.decode()


# -- history ------------------------------------------------------------------------------


def test_history_page_shows_changes_without_change_reason_none(client_a, world):
    member = world[0]["councilmembership"]
    member.title = "Board chair"
    member.save()
    url = reverse("admin:partnerships_councilmembership_history", args=[member.pk])
    html = client_a.get(url).content.decode()
    assert "Change reason" not in html and "None" not in html
    assert "Board chair" in html


def test_history_page_shows_reasons_when_there_are_some(client_a, world):
    member = world[0]["councilmembership"]
    member.title = "Vice-chair of the board"
    member._change_reason = "Elected at the AGM"
    member.save()
    url = reverse("admin:partnerships_councilmembership_history", args=[member.pk])
    assert "Elected at the AGM" in client_a.get(url).content.decode()


# -- one partnership: nothing to pick ------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "partnerships_workinggroup_add",
        "partnerships_council_add",
        "plans_communityplan_add",
    ],
)
def test_one_partnership_is_preselected_on_add_pages(client_a, world, name):
    form = client_a.get(reverse(f"admin:{name}")).context["adminform"].form
    assert form.initial["partnership"] == world[0]["partnership"].pk


def test_two_partnerships_are_not_preselected(client):
    first, second = PartnershipFactory(), PartnershipFactory()
    client.force_login(coordinator_of(first, second), backend=MODEL_BACKEND)
    form = client.get(reverse("admin:partnerships_workinggroup_add")).context["adminform"].form
    assert "partnership" not in form.initial


def test_preselected_partnership_is_still_checked_on_save(client_a, world, quiet_security_log):
    _, b, _ = world
    response = client_a.post(
        reverse("admin:partnerships_workinggroup_add"),
        {"partnership": b["partnership"].pk, "name": "Housing table", "status": "active"},
    )
    assert response.status_code == 403


# -- the sample-data flag ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["partnerships_workinggroup_add", "plans_communityplan_add", "plans_priority_add"]
)
def test_sample_flag_is_hidden_from_coordinators(client_a, name):
    form = client_a.get(reverse(f"admin:{name}")).context["adminform"].form
    assert "is_sample" not in form.fields


def test_sample_flag_is_hidden_from_funders(client, world):
    client.force_login(funder(), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_workinggroup_change", args=[world[0]["workinggroup"].pk])
    assert "is_sample" not in client.get(url).content.decode()


def test_sample_flag_is_shown_to_site_admins(admin_client):
    form = (
        admin_client.get(reverse("admin:partnerships_workinggroup_add")).context["adminform"].form
    )
    assert "is_sample" in form.fields


def test_editing_a_sample_row_keeps_its_flag(client_a, world):
    council = CouncilFactory(partnership=world[0]["partnership"], is_sample=True)
    page = client_a.get(council_url(council))
    response = client_a.post(council_url(council), change_form_data(page))
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.is_sample


def test_sample_members_are_marked_on_the_roster(council_client):
    client, council = council_client
    CouncilMembership.objects.filter(council=council).update(is_sample=True)
    html = client.get(council_url(council)).content.decode()
    assert '<small class="tag-sample">sample</small>' in html


def test_real_members_carry_no_sample_mark(council_client):
    client, council = council_client
    CouncilMembership.objects.filter(council=council).update(is_sample=False)
    html = client.get(council_url(council)).content.decode()
    assert 'class="tag-sample"' not in html
