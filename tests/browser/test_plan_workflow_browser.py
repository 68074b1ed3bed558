"""Issue 11 end to end, in a real browser: a coordinator builds a community plan from the
catalogue in the admin (English, then French), and an anonymous visitor finds its progress,
its annual report and its peers on the public pages and in the directory's filters.

The catalogue and the characteristics are the ones the migrations seed (as after
``make run``), re-seeded here because a live-server test starts from an empty database.
"""

from __future__ import annotations

import importlib
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.utils import translation

from partnerships.models import FocusArea
from partnerships.permissions import sync_groups
from plans.charts import format_number
from plans.models import Action, Characteristic, CommunityPlan, IndicatorDefinition, Polarity
from plans.services import indicator_status
from tests.browser.conftest import _keep_local
from tests.browser.test_plan_browser import chart_points, table_rows
from tests.directory.data import ensure_taxonomies
from tests.factories import (
    CommunityPlanFactory,
    IndicatorFactory,
    MeasurementFactory,
    OrganizationFactory,
    PartnershipFactory,
    PriorityFactory,
)
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-2026"
CATALOGUE_SLUG = "core-housing-need-immigrant-households"  # % of households, lower is better
CHARACTERISTIC = "affordable-housing"
# What the coordinator types, in the page's language.
ENTRY = {
    "en": {
        "plan": "Riverton Community Plan 2023–2026",
        "vision": "Riverton is a place where every newcomer finds a home.",
        "priority": "Homes newcomers can afford",
        "done": "Map the rental supply",
        "planned": "Open a rent bank",
        "org_search": "Riverton Housing",
        "catalogue_search": "core housing",
    },
    "fr": {
        "plan": "Plan communautaire de Riverton 2023–2026",
        "vision": "Riverton est un lieu où chaque nouvel arrivant trouve un logement.",
        "priority": "Des logements abordables pour les nouveaux arrivants",
        "done": "Cartographier l’offre locative",
        "planned": "Ouvrir une banque de loyers",
        "org_search": "Riverton Housing",
        "catalogue_search": "besoin impérieux",
    },
}


def seed_catalogue() -> None:
    """The migration's own seeding (characteristics and indicator catalogue)."""
    seeds = importlib.import_module("plans.migrations.0007_seed_catalogue")
    seeds.seed(apps, None)


@pytest.fixture
def world(live_server, transactional_db):
    """Riverton (no plan yet, one coordinator), Northfield (someone else's), and Lakeside, a
    peer whose active plan works on affordable housing and reports the catalogue indicator."""
    ensure_taxonomies()
    seed_catalogue()
    sync_groups()
    riverton = PartnershipFactory(
        name="Riverton Local Immigration Partnership",
        name_fr="Partenariat local d’immigration de Riverton",
        slug="riverton",
    )
    northfield = PartnershipFactory(
        name="Northfield Local Immigration Partnership", slug="northfield"
    )
    lakeside = PartnershipFactory(name="Lakeside Local Immigration Partnership", slug="lakeside")
    OrganizationFactory(name="Riverton Housing Society")
    definition = IndicatorDefinition.objects.get(slug=CATALOGUE_SLUG)
    housing = Characteristic.objects.get(slug=CHARACTERISTIC)
    peer_plan = CommunityPlanFactory(partnership=lakeside, start_year=2022, end_year=2026)
    peer_priority = PriorityFactory(plan=peer_plan, title="Housing first")
    peer_priority.characteristics.add(housing)
    peer_indicator = IndicatorFactory(
        priority=peer_priority,
        definition=definition,
        baseline_value=Decimal("35"),
        baseline_year=2022,
        target_value=Decimal("25"),
        target_year=2026,
    )
    MeasurementFactory(indicator=peer_indicator, year=2023, value=Decimal("24"))
    MeasurementFactory(indicator=peer_indicator, year=2024, value=Decimal("22"))
    user = coordinator_of(riverton, username="riverton-coordinator")
    user.set_password(PASSWORD)
    user.save()
    return SimpleNamespace(
        url=live_server.url,
        riverton=riverton,
        northfield=northfield,
        lakeside=lakeside,
        definition=definition,
        housing=housing,
        user=user,
    )


@pytest.fixture
def new_page(browser, world):
    """Opens a fresh browser context (its own cookies) in a given language."""
    contexts = []
    host = urlsplit(world.url).netloc

    def open_(locale: str = "en-CA"):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale=locale, timezone_id="UTC"
        )
        context.route("**/*", lambda route, request: _keep_local(route, request, host))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_
    for context in contexts:
        context.close()


# -- admin helpers ----------------------------------------------------------------------------


def assert_saved(page, what: str) -> None:
    """No error note on the page after a save; else fail with the form's own messages."""
    page.wait_for_load_state("load")
    if page.locator(".errornote").count():
        errors = page.locator(".errornote, .errorlist").all_inner_texts()
        raise AssertionError(f"{what} was not saved: {errors}")


def add_row(page, prefix: str) -> str:
    """Click the inline's "Add another" link; return the new row's form prefix."""
    total = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
    page.locator(f"#{prefix}-group .add-row a").click()
    row = f"{prefix}-{total}"
    page.wait_for_selector(f"#{row}")
    return row


def autocomplete(page, container: str, term: str, choice: str) -> None:
    """Pick ``choice`` in a select2 autocomplete after typing ``term``."""
    page.locator(f"{container} .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(term)
    page.locator(".select2-results__option", has_text=choice).first.click()


def autocomplete_results(page, container: str, term: str) -> list[str]:
    """What a select2 autocomplete offers for ``term`` (the dropdown is closed afterwards)."""
    page.locator(f"{container} .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(term)
    page.wait_for_selector(".select2-results__option:not(.loading-results)")
    page.wait_for_timeout(400)  # select2's own delay before it asks the server
    page.wait_for_selector(".select2-results__option:not(.loading-results)")
    options = page.locator(".select2-results__option").all_inner_texts()
    search.press("Escape")
    return options


def log_in(page, world, prefix: str) -> None:
    page.goto(f"{world.url}{prefix}/admin/login/")
    page.fill("#id_username", world.user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{world.url}{prefix}/admin/")


def build_plan_in_admin(page, world, prefix: str, language: str) -> None:
    """The coordinator's whole workflow, through the admin's forms only."""
    text = ENTRY[language]
    admin = f"{world.url}{prefix}/admin"
    housing_focus = FocusArea.objects.get(slug="housing")

    # 1. The plan, with one priority (its focus area) in the inline.
    page.goto(f"{admin}/plans/communityplan/add/")
    assert page.locator("html").get_attribute("lang") == language
    # Their one partnership is chosen for them; the autocomplete offers no other.
    assert page.locator("#id_partnership").input_value() == str(world.riverton.pk)
    assert autocomplete_results(page, ".field-partnership", "Northfield") != []
    assert not any(
        "Northfield" in o for o in autocomplete_results(page, ".field-partnership", "Northfield")
    )
    offered = autocomplete_results(page, ".field-partnership", "")
    assert offered == [str(world.riverton)], offered
    page.fill("#id_title", text["plan"])
    page.fill("#id_start_year", "2023")
    page.fill("#id_end_year", "2026")
    page.select_option("#id_status", CommunityPlan.Status.ACTIVE)
    page.fill("#id_vision", ENTRY["en"]["vision"])
    page.fill("#id_vision_fr", ENTRY["fr"]["vision"])
    row = add_row(page, "priorities")
    page.fill(f"#id_{row}-title", text["priority"])
    page.select_option(f"#id_{row}-focus_area", str(housing_focus.pk))
    page.locator("input[name=_continue]").click()
    assert_saved(page, "the plan")

    # 2. The priority's own page: characteristic, actions, an indicator from the catalogue.
    page.locator("#priorities-0 a.inlinechangelink").click()
    page.wait_for_selector("#id_characteristics_from")
    page.select_option("#id_characteristics_from", str(world.housing.pk))
    page.locator("#id_characteristics_add").click()
    assert page.locator("#id_characteristics_to option").all_inner_texts() == [
        world.housing.name if language == "en" else world.housing.name_fr
    ]

    row = add_row(page, "indicators")
    with translation.override(language):
        entry_label = str(world.definition)
    autocomplete(page, f"#{row} .field-definition", text["catalogue_search"], entry_label)
    page.fill(f"#id_{row}-baseline_value", "30")
    page.fill(f"#id_{row}-baseline_year", "2022")
    page.fill(f"#id_{row}-target_value", "20")
    page.fill(f"#id_{row}-target_year", "2026")

    done = add_row(page, "actions")
    page.fill(f"#id_{done}-year", "2023")
    page.fill(f"#id_{done}-title", text["done"])
    page.select_option(f"#id_{done}-status", Action.Status.DONE)
    autocomplete(page, f"#{done} .field-lead_organization", text["org_search"], "Riverton Housing")
    planned = add_row(page, "actions")
    page.fill(f"#id_{planned}-year", "2024")
    page.fill(f"#id_{planned}-title", text["planned"])
    page.select_option(f"#id_{planned}-status", Action.Status.PLANNED)
    page.locator("input[name=_continue]").click()
    assert_saved(page, "the priority")

    # 3. The indicator's page: two years of measurements.
    page.locator("#indicators-0 a.inlinechangelink").click()
    page.wait_for_selector("#measurements-group")
    for year, value in ((2023, "28"), (2024, "25")):
        row = add_row(page, "measurements")
        page.fill(f"#id_{row}-year", str(year))
        page.fill(f"#id_{row}-value", value)
    page.locator("input[name=_continue]").click()
    assert_saved(page, "the measurements")

    # 4. "View on site" on the plan opens its public page, in the admin's language.
    plan = CommunityPlan.objects.get(partnership=world.riverton)
    page.goto(f"{admin}/plans/communityplan/{plan.pk}/change/")
    page.locator("a.viewsitelink").click()
    page.wait_for_url(f"{world.url}{prefix}/partnerships/riverton/plan/")
    assert page.locator("h1").inner_text().startswith(text["plan"])

    # 5. The catalogue is there to read, not to change.
    page.goto(f"{admin}/plans/indicatordefinition/")
    assert page.locator(".object-tools .addlink").count() == 0
    page.goto(f"{admin}/plans/indicatordefinition/{world.definition.pk}/change/")
    assert page.locator("input[name=_save]").count() == 0
    assert page.locator("#id_name").count() == 0  # shown as text, not a field
    response = page.goto(f"{admin}/plans/indicatordefinition/add/")
    assert response.status == 403
    response = page.goto(f"{admin}/plans/characteristic/add/")
    assert response.status == 403


def check_database(world, language: str) -> SimpleNamespace:
    """What the admin saved: one active plan of Riverton's, built as typed."""
    plan = CommunityPlan.objects.get(partnership=world.riverton)
    assert plan.status == CommunityPlan.Status.ACTIVE
    priority = plan.priorities.get()
    assert list(priority.characteristics.all()) == [world.housing]
    assert priority.focus_area.slug == "housing"
    actions = {a.title: a for a in Action.objects.filter(priority__plan=plan)}
    assert actions[ENTRY[language]["done"]].status == Action.Status.DONE
    assert actions[ENTRY[language]["done"]].lead_organization.name == "Riverton Housing Society"
    indicator = priority.indicators.get()
    assert indicator.definition == world.definition
    # Name, unit and polarity come from the catalogue, whatever the form said.
    assert (indicator.name, indicator.unit, indicator.polarity) == (
        world.definition.name,
        world.definition.unit,
        Polarity.LOWER,
    )
    measurements = list(indicator.measurements.order_by("year"))
    assert [(m.year, m.value) for m in measurements] == [(2023, 28), (2024, 25)]
    return SimpleNamespace(
        plan=plan, priority=priority, indicator=indicator, measurements=measurements
    )


# -- public pages -------------------------------------------------------------------------------


def check_plan_page(page, world, saved, prefix: str, language: str, check_axe) -> None:
    text = ENTRY[language]
    page.goto(f"{world.url}{prefix}/partnerships/riverton/plan/")
    main = page.locator("main")
    assert page.locator("h1").inner_text().startswith(text["plan"])
    assert page.locator(".vision").inner_text() == text["vision"]
    assert page.locator(".priority h3").inner_text() == text["priority"]
    tags = page.locator(".priority-tags").inner_text()
    with translation.override(language):
        assert world.housing.display_name in tags
        assert FocusArea.objects.get(slug="housing").display_name in tags
    # Actions: one done (2023, with its lead), one planned (2024).
    rows = page.locator(".priority table.plan-table:not(.standing-table) tbody tr")
    cells = [r.split("\t") for r in rows.all_inner_texts()]
    with translation.override(language):
        assert [(c[0], c[1], c[2], c[3]) for c in cells] == [
            (text["done"], "2023", str(Action.Status.DONE.label), "Riverton Housing Society"),
            (text["planned"], "2024", str(Action.Status.PLANNED.label), "—"),
        ]
    # The indicator: the catalogue's name and unit, baseline, target, latest value, progress.
    indicator = page.locator("section.indicator")
    with translation.override(language):
        assert indicator.locator("h5").inner_text() == world.definition.display_name
        facts = dict(
            zip(
                indicator.locator(".indicator-facts dt").all_inner_texts(),
                indicator.locator(".indicator-facts dd").all_inner_texts(),
                strict=True,
            )
        )
        assert world.definition.display_unit in facts.values()
        status = indicator_status(saved.indicator, saved.measurements)
        assert status.latest.year == 2024
        assert status.percent == 50  # (30 − 25) / (30 − 20), lower is better
        latest = next(
            v for v in facts.values() if v.startswith(f"{format_number(Decimal('25'))} (2024)")
        )
        assert format_number(Decimal("-3")) in latest  # the change since 2023
        progress = indicator.locator(".state").inner_text()
        assert progress == str(status.label)
        assert "50" in indicator.locator("progress").evaluate("p => p.parentElement.textContent")
    # The chart and its text alternative carry the same numbers.
    chart_id = indicator.locator("svg.chart").get_attribute("id")
    assert indicator.locator(f"#{chart_id}").get_attribute("role") == "img"
    drawn = sorted(map(tuple, chart_points(page, chart_id)))
    assert drawn == sorted(map(tuple, table_rows(page, chart_id)))
    values = {(kind, year): value for kind, year, value in drawn}
    assert values[("measurement", "2023")] == "28"
    assert values[("measurement", "2024")] == "25"
    assert page.locator(f"#{chart_id}-table").is_visible()
    # Peers: Lakeside works on the same characteristic and reports the same catalogue entry.
    peers = page.locator("section.peers")
    assert (
        "Lakeside Local Immigration Partnership" in peers.locator(".peer-list").first.inner_text()
    )
    standing = indicator.locator(".standing-table tbody tr")
    ranking = [r.split("\t")[:3] for r in standing.all_inner_texts()]
    assert ranking[0][:2] == ["1", "Lakeside Local Immigration Partnership"]  # 22 < 25: better
    assert ranking[1][0] == "2" and ranking[1][2] == "25"
    assert indicator.locator(".standing-table tr.self").count() == 1
    check_axe(page, f"plan page built in the admin ({language})")
    assert main.is_visible()


def check_report(page, world, prefix: str, language: str) -> None:
    text = ENTRY[language]
    page.goto(f"{world.url}{prefix}/partnerships/riverton/plan/report/2024/")
    done = page.locator("section[aria-labelledby=done-heading]").inner_text()
    not_done = page.locator("section[aria-labelledby=not-done-heading]").inner_text()
    assert text["planned"] in not_done and text["planned"] not in done
    assert text["done"] not in done + not_done  # a 2023 action
    row = page.locator("section[aria-labelledby=indicators-heading] tbody tr")
    cells = row.inner_text().split("\t")
    assert cells[1].strip() == "25" and cells[2].strip() == "28"
    assert cells[3].startswith(format_number(Decimal("-3")))
    assert row.locator(".verdict-better").count() == 1  # lower is better: down is better
    page.goto(f"{world.url}{prefix}/partnerships/riverton/plan/report/2023/")
    done = page.locator("section[aria-labelledby=done-heading]").inner_text()
    assert text["done"] in done
    response = page.goto(f"{world.url}{prefix}/partnerships/riverton/plan/report/2027/")
    assert response.status == 404


def check_directory_filters(page, world, prefix: str) -> None:
    def names(query: str) -> list[str]:
        page.goto(f"{world.url}{prefix}/partnerships/?{query}")
        return sorted(page.locator(".results-list h3 a").all_inner_texts())

    riverton = world.riverton.name if not prefix else world.riverton.name_fr
    assert riverton in names("has_plan=yes")
    assert riverton not in names("has_plan=no")
    assert names(f"plan_priority=characteristic:{CHARACTERISTIC}") == sorted(
        [riverton, "Lakeside Local Immigration Partnership"]
    )
    assert riverton in names("plan_priority=focus:housing")


@pytest.mark.parametrize(
    ("prefix", "language", "locale"), [("", "en", "en-CA"), ("/fr", "fr", "fr-CA")]
)
def test_coordinator_builds_a_plan_and_the_public_sees_its_progress_report_and_peers(
    new_page, world, check_axe, artifacts_dir, prefix, language, locale
):
    coordinator = new_page(locale)
    log_in(coordinator, world, prefix)
    build_plan_in_admin(coordinator, world, prefix, language)
    coordinator.screenshot(
        path=str(artifacts_dir / f"plan-workflow-admin-{language}.png"), full_page=True
    )
    saved = check_database(world, language)

    visitor = new_page(locale)
    check_plan_page(visitor, world, saved, prefix, language, check_axe)
    visitor.screenshot(
        path=str(artifacts_dir / f"plan-workflow-public-{language}.png"), full_page=True
    )
    check_report(visitor, world, prefix, language)
    check_directory_filters(visitor, world, prefix)


def test_plan_admin_pages_are_axe_clean(new_page, world, check_axe):
    """Every row field of the tabular inlines is named (ScopedTabularInline), the catalogue
    autocomplete too while empty, and no header cell is empty."""
    plan = CommunityPlanFactory(partnership=world.riverton, start_year=2023, end_year=2026)
    priority = PriorityFactory(plan=plan, title="Homes")
    indicator = IndicatorFactory(priority=priority, baseline_year=2023, target_year=2026)
    MeasurementFactory(indicator=indicator, year=2024)
    page = new_page()
    log_in(page, world, "")
    for path in (
        f"/admin/plans/communityplan/{plan.pk}/change/",
        f"/admin/plans/priority/{priority.pk}/change/",
        f"/admin/plans/indicator/{indicator.pk}/change/",
    ):
        page.goto(f"{world.url}{path}")
        check_axe(page, path)
