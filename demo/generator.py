"""Generate the demo data set: sample councils, working groups and community plans.

No real roster or plan is public, so demos need invented ones. Everything generated here is
marked ``is_sample=True``, uses @example.org / @example.com addresses and 555-01xx phone numbers,
and is rebuilt from a fixed seed: loading twice gives the same rows (dates are relative to the
day of the load, so "terms ending within 90 days" stay true whenever the demo is loaded).

Safety rules:
- every generated row is flagged ``is_sample``, and only flagged rows are deleted, inside one
  transaction; a sample row that a real row depends on is kept (see ``demo.removal``);
- every generated organization is fictional (named after an invented place, see
  ``demo_places``); a real organization is never reused or modified, so no invented person
  ever sits at a real body; a sample organization kept from an earlier load is reused;
- a partnership that still has a council, working groups or a plan after the removal (real
  ones, or sample ones kept for real rows) gets no sample rows of that kind, so demo data never
  collides with coordinators' data.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from config.database import refresh_statistics
from demo.flags import forget_sample_flag
from demo.removal import remove_sample_data, sample_models
from demo.tables import tables
from directory.revision import bump_revision
from partnerships.models import (
    Community,
    Council,
    CouncilMembership,
    FocusArea,
    Organization,
    Partnership,
    Role,
    Sector,
    WorkingGroup,
)
from plans.models import (
    Action,
    Characteristic,
    CommunityPlan,
    Indicator,
    IndicatorDefinition,
    Measurement,
    Priority,
)

SEED = 20261121
SAMPLE_NOTE_EN = "Sample data generated for demonstration; not a real roster or plan."
SAMPLE_NOTE_FR = "Données fictives générées pour la démonstration ; pas un vrai répertoire."


@dataclass
class DemoReport:
    """Counts of what the demo load created."""

    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    # Sample rows the removal kept because real rows depend on them, e.g. "1 council".
    kept: str = ""

    def summary(self) -> str:
        parts = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return f"Sample data loaded: {parts}."


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def _de(name: str) -> str:
    """French "de" with elision: "d'Edmonton", "de Winnipeg"."""
    return f"d'{name}" if name[:1].lower() in "aeiouyéèêâîôh" else f"de {name}"


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _short_region(main_community: str) -> str:
    region = main_community.split("(")[0].split("/")[0].strip()
    for suffix in (" region", " Region"):
        if region.endswith(suffix) and region.split()[0] not in ("Waterloo", "York", "Peel"):
            region = region[: -len(suffix)]
    return region


@dataclass
class Context:
    """What the generator needs to know about one partnership."""

    partnership: Partnership
    anchor: str
    anchor_population: int
    second: str | None
    region: str
    population: int
    places: list[str]
    french: bool

    @property
    def province(self) -> str:
        return self.partnership.province


def _context(partnership: Partnership, place_names: set[tuple[str, str]]) -> Context:
    places = sorted(partnership.communities.all(), key=lambda c: -(c.population or 0))
    main = partnership.main_community.split("(")[0].strip()
    if (main.lower(), partnership.province) in place_names:
        anchor = main
        anchor_pop = next((c.population or 0 for c in places if c.name == main), 0)
    elif places:
        anchor, anchor_pop = places[0].name, places[0].population or 0
    else:
        anchor, anchor_pop = _province(partnership.province)["fallback_city"], 100000
    if main == "Sudbury":  # the Réseau du Nord's main community is Greater Sudbury's core
        anchor = "Sudbury"
    region = (
        _province(partnership.province)["name"]
        if partnership.is_province_wide and not places
        else _short_region(partnership.main_community) or anchor
    )
    if "province-wide" in partnership.main_community:
        region = _province(partnership.province)["name"]
    population = sum(c.population or 0 for c in places) or 150000
    others = [c.name for c in places if c.name != anchor]
    return Context(
        partnership=partnership,
        anchor=anchor,
        anchor_population=anchor_pop or population,
        second=others[0] if others else None,
        region=region,
        population=population,
        places=[c.name for c in places],
        french=partnership.languages == Partnership.Languages.FRENCH,
    )


def _province(code: str) -> dict[str, str]:
    return tables().provinces[code]


def _fill(templates: list[str], words: dict[str, str]) -> list[str]:
    return [template.format(**words) for template in templates]


# An organization spec: (sector slug, name, French name, city, province)
OrgSpec = tuple[str, str, str, str, str]


def demo_places(slugs: list[str], french_slugs: set[str]) -> dict[str, str]:
    """A fictional place name for each partnership, unique while the name lists last.

    Generated seats must never borrow a real body's name (a "City of Calgary" or a police
    service where the RCMP polices), so every generated organization is named after an
    invented place. Each slug starts at a position fixed by its hash, so adding a partnership
    moves few others' names.
    """
    lists = tables().organizations["places"]
    taken: dict[str, set[str]] = {"english": set(), "french": set()}
    result = {}
    for slug in sorted(slugs):
        language = "french" if slug in french_slugs else "english"
        names = lists[language]
        start = int(hashlib.sha256(slug.encode()).hexdigest(), 16) % len(names)
        free = [names[(start + i) % len(names)] for i in range(len(names))]
        free = [name for name in free if name not in taken[language]] or [names[start]]
        result[slug] = free[0]
        taken[language].add(free[0])
    return result


def _organizations(ctx: Context, place: str) -> dict[str, list[OrgSpec]]:
    """Plausible but fictional local organizations for one partnership, by sector.

    Every name is built on ``place``, an invented place (see ``demo_places``); the two shared
    government seats have invented names too. City and province stay real (they say where
    the sample organization would be).
    """
    a, prov = ctx.anchor, ctx.province
    table = tables().organizations
    words = {"place": place, "de_place": _de(place)}
    shared = {
        sector: [
            (
                sector,
                spec["name"].format(**words),
                spec["name_fr"].format(**words),
                "",
                "" if spec["national"] else prov,
            )
        ]
        for sector, spec in table["shared"].items()
    }
    if ctx.french:
        result = {
            sector: [(sector, name, name, a, prov) for name in _fill(names, words)]
            for sector, names in table["french"].items()
        }
    else:
        size = "city" if ctx.anchor_population >= 10000 else "town"
        municipal = [table["english_municipal"][size]]
        if ctx.second:
            municipal.append(table["english_municipal"]["rural"])
        schools = table["english_school_boards"]
        police = table["english_police"]["city" if ctx.anchor_population >= 50000 else "town"]
        specs = {
            "municipal": _fill(municipal, words),
            "school-boards": _fill(schools.get(prov, schools["other"]), words),
            "police": _fill([police], words),
        }
        specs.update({sector: _fill(names, words) for sector, names in table["english"].items()})
        result = {
            sector: [
                (sector, name, name if sector == "francophone" else "", a, prov) for name in names
            ]
            for sector, names in specs.items()
        }
    result.update(shared)
    return result


def _person(rng: random.Random, french: bool, taken: set[str]) -> tuple[str, str, str]:
    names = tables().people["french" if french else "english"]
    firsts, lasts = names["first_names"], names["last_names"]
    while True:
        first, last = rng.choice(firsts), rng.choice(lasts)
        name = f"{first} {last}"
        if name not in taken:
            taken.add(name)
            return name, first, last


def _seat_count(ctx: Context, rng: random.Random) -> int:
    """Council sizes seen in partnerships_notes.md: 10 in small towns to 35 for PEI."""
    p = ctx.partnership
    if p.slug == "pei-immigration-partnership":
        return 35
    if p.kind == Partnership.Kind.RIF:
        return rng.randint(13, 29)
    for limit, low, high in ((25000, 10, 14), (100000, 12, 20), (400000, 16, 26), (10**6, 20, 30)):
        if ctx.population < limit:
            return rng.randint(low, high)
    return rng.randint(25, 35)


class DemoBuilder:
    """Builds every sample row in memory, then writes each model with one bulk_create."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.sectors = {s.slug: s for s in Sector.objects.all()}
        self.focus = {f.slug: f for f in FocusArea.objects.all()}
        self.characteristics = {c.slug: c for c in Characteristic.objects.all()}
        self.catalogue = {d.slug: d for d in IndicatorDefinition.objects.all()}
        self.priority_tags: list[tuple[Priority, list[Characteristic]]] = []
        self.org_specs: dict[tuple[str, str], OrgSpec] = {}
        self.councils: list[Council] = []
        self.memberships: list[tuple[CouncilMembership, tuple[str, str] | None]] = []
        self.groups: list[tuple[WorkingGroup, tuple[str, str] | None, list[tuple[str, str]]]] = []
        self.plans: list[CommunityPlan] = []
        self.priorities: list[Priority] = []
        self.actions: list[tuple[Action, tuple[str, str] | None]] = []
        self.indicators: list[Indicator] = []
        self.measurements: list[Measurement] = []

    # -- helpers -----------------------------------------------------------------------------
    def _org_key(self, spec: OrgSpec) -> tuple[str, str]:
        key = (spec[1].lower(), spec[4])
        self.org_specs.setdefault(key, spec)
        return key

    def _phone(self, rng: random.Random, province: str) -> str:
        return f"{_province(province)['area_code']}-555-01{rng.randint(0, 99):02d}"

    # -- councils ----------------------------------------------------------------------------
    def add_council(self, ctx: Context, orgs: dict[str, list[OrgSpec]], rng: random.Random) -> list:
        p, fr = ctx.partnership, ctx.french
        seats = _seat_count(ctx, rng)
        vacancies = rng.choice([0, 0, 0, 1, 1, 2, 3])
        active = seats - vacancies
        newcomer_seats = rng.randint(1, 3) if rng.random() < 0.6 else 0
        indigenous = rng.random() < 0.5
        council = Council(
            partnership=p,
            kind=Council.Kind.MAIN,
            name="Table de concertation" if fr else "Partnership Council",
            seats=seats,
            description=(SAMPLE_NOTE_FR if fr else SAMPLE_NOTE_EN),
            is_sample=True,
        )
        self.councils.append(council)
        # Core sectors always get a seat (the first two before any other); pool sectors fill
        # the remaining seats.
        table = tables().councils["french" if fr else "english"]
        core, pool = table["core"], table["pool"]
        sectors = ["newcomers"] * newcomer_seats + (["indigenous"] if indigenous else [])
        government = ["provincial", "federal"] if rng.random() < 0.8 else ["federal"]
        rest = core[:2] + rng.sample(core[2:], len(core) - 2)
        sectors += rest
        while len(sectors) + len(government) < active:
            open_sectors = [s for s in pool if sectors.count(s) < len(orgs.get(s, []))]
            sectors.append(rng.choice(open_sectors or pool))
        sectors = sectors[: max(active - len(government), 1)] + government
        titles = tables().titles
        used: dict[str, int] = defaultdict(int)
        taken: set[str] = set()
        rows = []
        for sector in sectors:
            name, first, last = _person(rng, fr, taken)
            key = None
            if sector == "newcomers" or (sector == "indigenous" and rng.random() < 0.5):
                email = f"{_ascii(first)}.{_ascii(last)}@example.com"
            else:
                choices = orgs.get(sector) or orgs["settlement"]
                spec = choices[used[sector] % len(choices)]
                used[sector] += 1
                key = self._org_key(spec)
                email = f"{_ascii(first)}.{_ascii(last)}@example.org"
            start = self.today - datetime.timedelta(days=rng.randint(60, 1000))
            end = _add_years(start, rng.choice([2, 3])) - datetime.timedelta(days=1)
            consent = rng.random() < 0.25
            role = Role.MEMBER
            voting = True
            if sector in ("provincial", "federal"):
                role = rng.choice([Role.EX_OFFICIO, Role.OBSERVER])
                voting = False
            membership = CouncilMembership(
                council=council,
                person_name=name,
                title=titles[sector]["fr" if fr else "en"],
                email=email,
                phone=self._phone(rng, p.province),
                role=role,
                voting=voting,
                sector=self.sectors[sector],
                term_start=start,
                term_end=end,
                publish_consent=consent,
                consent_date=min(start + datetime.timedelta(days=14), self.today)
                if consent
                else None,
                is_sample=True,
            )
            rows.append((membership, key))
        voters = [m for m, _ in rows if m.voting]
        rng.shuffle(voters)
        if rng.random() < 0.5:
            voters[0].role = Role.CHAIR
            if len(voters) > 12 and rng.random() < 0.5:
                voters[1].role = Role.VICE_CHAIR
        else:
            voters[0].role = voters[1].role = Role.CO_CHAIR
        # Terms: some end within 90 days, some are already past (member still sitting).
        others = voters[2:]
        for m in rng.sample(others, rng.randint(1, 3)):
            m.term_end = self.today + datetime.timedelta(days=rng.randint(5, 85))
        for m in rng.sample(others, rng.choice([0, 1, 1, 2])):
            m.term_end = self.today - datetime.timedelta(days=rng.randint(10, 200))
            m.term_start = _add_years(m.term_end, -2)
        # Members who left (their seat has been filled or is now vacant).
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            sector = rng.choice(core)
            name, first, last = _person(rng, fr, taken)
            spec = orgs.get(sector, orgs["settlement"])[0]
            left = self.today - datetime.timedelta(days=rng.randint(30, 400))
            rows.append(
                (
                    CouncilMembership(
                        council=council,
                        person_name=name,
                        title=titles[sector]["fr" if fr else "en"],
                        email=f"{_ascii(first)}.{_ascii(last)}@example.org",
                        phone=self._phone(rng, p.province),
                        role=Role.MEMBER,
                        sector=self.sectors[sector],
                        term_start=_add_years(left, -2),
                        term_end=left,
                        left_on=left,
                        is_sample=True,
                    ),
                    self._org_key(spec),
                )
            )
        self.memberships.extend(rows)
        return [key for _, key in rows if key]

    # -- working groups ----------------------------------------------------------------------
    def add_working_groups(
        self, ctx: Context, council_orgs: list, rng: random.Random
    ) -> dict[str, WorkingGroup]:
        p, fr = ctx.partnership, ctx.french
        themes, table = tables().themes, tables().working_groups
        statuses = list(table["status_weights"])
        weights = list(table["status_weights"].values())
        meetings = table["meeting_frequencies"]
        wanted = [f.slug for f in p.focus_areas.all() if f.slug in themes]
        if fr and "francophone-immigration" not in wanted:
            wanted.insert(0, "francophone-immigration")
        extra = [s for s in themes if s not in wanted and (fr or s != "francophone-immigration")]
        rng.shuffle(extra)
        count = rng.randint(2, 5)
        chosen = (wanted[:count] + extra)[:count]
        result: dict[str, WorkingGroup] = {}
        unique_orgs = list(dict.fromkeys(council_orgs))
        for slug in chosen:
            theme = themes[slug]
            en, fr_name = theme["working_group"]["en"], theme["working_group"]["fr"]
            status = WorkingGroup.Status(rng.choices(statuses, weights)[0])
            meeting = meetings[rng.randrange(len(meetings))]
            if fr:
                description = (
                    f"Réunit les partenaires de la région autour de l'objectif : "
                    f"{theme['priority']['fr'].lower()}. {SAMPLE_NOTE_FR}"
                )
                join = (
                    "Les organismes intéressés écrivent à la coordination du réseau "
                    "(coordination@example.org) ; les nouveaux membres sont accueillis à la "
                    "réunion suivante."
                )
            else:
                description = (
                    f"Brings {ctx.region} partners together so that "
                    f"{theme['priority']['en'][0].lower()}{theme['priority']['en'][1:]}. "
                    f"{SAMPLE_NOTE_EN}"
                )
                join = (
                    "Organizations that serve newcomers can join: email the partnership "
                    "coordinator (coordinator@example.org) with a short note on your work; "
                    "new members are welcomed at the next meeting."
                )
            group = WorkingGroup(
                partnership=p,
                name=fr_name if fr else en,
                name_fr=fr_name,
                focus_area=self.focus.get(slug),
                description=description,
                status=status,
                how_to_join=join,
                meeting_frequency=meeting["fr" if fr else "en"],
                is_sample=True,
            )
            members = rng.sample(unique_orgs, min(len(unique_orgs), rng.randint(3, 6)))
            self.groups.append((group, members[0] if members else None, members))
            result[slug] = group
        return result

    # -- plans -------------------------------------------------------------------------------
    def add_plan(
        self,
        ctx: Context,
        council_orgs: list,
        groups: dict[str, WorkingGroup],
        rng: random.Random,
    ) -> None:
        p, fr = ctx.partnership, ctx.french
        year = self.today.year
        start = year - rng.choice([1, 2, 3])
        end = max(start + rng.choice([3, 4]), year)
        themes = tables().themes
        places = ", ".join(ctx.places[:6]) or _province(p.province)["name"]
        if fr:
            vision = (
                f"Une francophonie {_province(p.province)['of_fr']} accueillante, où chaque "
                "personne immigrante d'expression française trouve sa place et contribue à la "
                "vitalité des communautés."
            )
            vision_fr = vision
            profile = (
                f"{SAMPLE_NOTE_FR} Le réseau couvre {places}. Les priorités ci-dessous sont "
                "fictives."
            )
        else:
            vision = (
                f"{ctx.region} is a welcoming community where newcomers belong, thrive and "
                "shape its future."
            )
            vision_fr = (
                f"{ctx.region} est une communauté accueillante où les personnes nouvellement "
                "arrivées trouvent leur place, s'épanouissent et façonnent son avenir."
            )
            profile = (
                f"{SAMPLE_NOTE_EN} The partnership serves {places} "
                f"(about {ctx.population:,} residents, GeoNames populations). "
                "The priorities below are invented for the demo."
            )
        plan = CommunityPlan(
            partnership=p,
            title=f"{'Plan communautaire' if fr else 'Community Plan'} {start}–{end}",
            title_fr=f"Plan communautaire {start}–{end}",
            start_year=start,
            end_year=end,
            vision=vision,
            vision_fr=vision_fr,
            community_profile=profile,
            status=CommunityPlan.Status.ACTIVE,
            approved_on=datetime.date(start - 1, rng.randint(9, 12), rng.randint(1, 28)),
            is_sample=True,
        )
        self.plans.append(plan)
        slugs = list(groups)
        extra = [s for s in themes if s not in slugs and (fr or s != "francophone-immigration")]
        rng.shuffle(extra)
        count = rng.randint(3, 5)
        chosen = slugs + [f.slug for f in p.focus_areas.all() if f.slug in themes] + extra
        chosen = list(dict.fromkeys(chosen))[:count]
        for order, slug in enumerate(chosen):
            theme = themes[slug]
            priority = Priority(
                plan=plan,
                focus_area=self.focus.get(slug),
                title=theme["priority"]["fr" if fr else "en"],
                title_fr=theme["priority"]["fr"],
                description=SAMPLE_NOTE_FR if fr else SAMPLE_NOTE_EN,
                description_fr=SAMPLE_NOTE_FR,
                order=order,
                is_sample=True,
            )
            self.priorities.append(priority)
            tags = [self.characteristics.get(c) for c in theme.get("characteristics", [])]
            self.priority_tags.append((priority, [c for c in tags if c is not None]))
            for offset, action_year in enumerate(range(start, end + 1)):
                action_title = theme["actions"][offset % len(theme["actions"])]
                if action_year < year:
                    status = rng.choices([Action.Status.DONE, Action.Status.DEFERRED], [85, 15])[0]
                elif action_year == year:
                    status = rng.choices(
                        [Action.Status.IN_PROGRESS, Action.Status.DONE, Action.Status.PLANNED],
                        [5, 3, 2],
                    )[0]
                else:
                    status = Action.Status.PLANNED
                lead = rng.choice(council_orgs) if council_orgs else None
                self.actions.append(
                    (
                        Action(
                            priority=priority,
                            year=action_year,
                            title=f"{action_title['fr' if fr else 'en']} ({action_year})",
                            title_fr=f"{action_title['fr']} ({action_year})",
                            working_group=groups.get(slug),
                            status=status,
                            due_date=datetime.date(action_year, rng.randint(3, 12), 28),
                            is_sample=True,
                        ),
                        lead,
                    )
                )
            spec = theme["indicator"]
            entry = self.catalogue.get(theme.get("catalogue", {}).get("slug", ""))
            if entry is not None:  # most priorities: a comparable catalogue indicator
                baseline, target = theme["catalogue"]["baseline"], theme["catalogue"]["target"]
                unit, source = entry.unit, entry.source
            else:  # a custom indicator of the partnership's own
                baseline, target = spec["baseline"], spec["target"]
                unit, source = spec["unit"], spec["source"]
            scale = max(1, ctx.population // 100000) if unit not in ("%", "days") else 1
            baseline_value = Decimal(baseline * scale)
            target_value = Decimal(target * scale)
            indicator = Indicator(
                priority=priority,
                definition=entry,
                name=spec["fr"] if fr else spec["en"],
                name_fr=spec["fr"],
                unit=spec["unit_fr"] if fr else spec["unit"],
                unit_fr=spec["unit_fr"],
                baseline_value=baseline_value,
                baseline_year=start - 1,
                target_value=target_value,
                target_year=end,
                polarity=spec["polarity"],
                data_source=source,
                is_sample=True,
            )
            indicator.apply_definition()  # bulk_create skips save(): the one copy rule
            self.indicators.append(indicator)
            self.measurements.append(
                Measurement(
                    indicator=indicator,
                    year=start - 1,
                    measured_on=datetime.date(start - 1, 12, 31),
                    value=baseline_value,
                    is_sample=True,
                )
            )
            span = end - (start - 1)
            for measured in range(start, year):
                share = (measured - start + 1) / span * rng.uniform(0.5, 1.2)
                value = baseline_value + (target_value - baseline_value) * Decimal(str(share))
                self.measurements.append(
                    Measurement(
                        indicator=indicator,
                        year=measured,
                        measured_on=datetime.date(measured, 12, 31),
                        value=value.quantize(Decimal("0.01")),
                        is_sample=True,
                    )
                )

    # -- write -------------------------------------------------------------------------------
    def save(self) -> dict[str, int]:
        """Create organizations, then every row in dependency order.

        A sample organization left from an earlier load is reused. A real organization is
        never reused, so no invented person sits at a real body: a generated name that a real
        organization of the province already has gets a " (sample)" suffix.
        """
        suffix = " (sample)"
        wanted = {k[0] for k in self.org_specs} | {k[0] + suffix for k in self.org_specs}
        found = (
            Organization.objects.annotate(lname=Lower("name"))
            .filter(lname__in=wanted)
            .values_list("lname", "province", "pk", "is_sample")
        )
        sample = {(lname, prov): pk for lname, prov, pk, is_sample in found if is_sample}
        real = {(lname, prov) for lname, prov, _pk, is_sample in found if not is_sample}
        # A name a real organization has is taken: the sample one is "<name> (sample)".
        names = {
            key: (spec[1] + suffix if key in real else spec[1])
            for key, spec in self.org_specs.items()
        }
        existing = {}
        for key, spec in self.org_specs.items():
            pk = sample.get((names[key].lower(), spec[4]))
            if pk is not None:
                existing[key] = pk
        new_orgs = [
            (
                key,
                Organization(
                    sector=self.sectors[spec[0]],
                    name=names[key],
                    name_fr=spec[2],
                    city=spec[3],
                    province=spec[4],
                    is_sample=True,
                ),
            )
            for key, spec in self.org_specs.items()
            if key not in existing
        ]
        Organization.objects.bulk_create([org for _, org in new_orgs], batch_size=500)
        org_ids = dict(existing)
        org_ids.update({key: org.pk for key, org in new_orgs})

        Council.objects.bulk_create(self.councils, batch_size=500)
        for membership, key in self.memberships:
            membership.organization_id = org_ids[key] if key else None
        CouncilMembership.objects.bulk_create([m for m, _ in self.memberships], batch_size=500)

        for group, lead, _ in self.groups:
            group.lead_organization_id = org_ids[lead] if lead else None
        WorkingGroup.objects.bulk_create([g for g, _, _ in self.groups], batch_size=500)
        through = WorkingGroup.organizations.through
        through.objects.bulk_create(
            [
                through(workinggroup_id=g.pk, organization_id=org_ids[key])
                for g, _, members in self.groups
                for key in members
            ],
            batch_size=500,
        )
        CommunityPlan.objects.bulk_create(self.plans, batch_size=500)
        Priority.objects.bulk_create(self.priorities, batch_size=500)
        tagged = Priority.characteristics.through
        tagged.objects.bulk_create(
            [
                tagged(priority_id=priority.pk, characteristic_id=c.pk)
                for priority, tags in self.priority_tags
                for c in tags
            ],
            batch_size=500,
        )
        for action, lead in self.actions:
            action.lead_organization_id = org_ids[lead] if lead else None
        Action.objects.bulk_create([a for a, _ in self.actions], batch_size=500)
        Indicator.objects.bulk_create(self.indicators, batch_size=500)
        Measurement.objects.bulk_create(self.measurements, batch_size=500)
        return {
            "organizations created": len(new_orgs),
            "councils": len(self.councils),
            "council memberships": len(self.memberships),
            "working groups": len(self.groups),
            "community plans": len(self.plans),
            "priorities": len(self.priorities),
            "actions": len(self.actions),
            "indicators": len(self.indicators),
            "measurements": len(self.measurements),
        }


def _taken(
    model: type[Council | WorkingGroup | CommunityPlan], real: str, kept: str
) -> dict[int, str]:
    """Partnerships that still have rows of this kind after the removal, and why.

    Real rows, and sample rows kept because real rows depend on them: generating another set
    beside them would collide with unique names and mix demo rows into coordinators' data.
    """
    reasons: dict[int, str] = {}
    for partnership_id, is_sample in model.objects.values_list("partnership_id", "is_sample"):
        if not is_sample:
            reasons[partnership_id] = real
        else:
            reasons.setdefault(partnership_id, kept)
    return reasons


def load_demo_data(today: datetime.date | None = None) -> DemoReport:
    """Replace all sample rows with a freshly generated, deterministic set, in one transaction."""
    today = today or timezone.localdate()
    report = DemoReport()
    with transaction.atomic():
        removal = remove_sample_data()
        report.kept = removal.kept_summary()
        builder = DemoBuilder(today)
        place_names = {
            (name.lower(), province)
            for name, province in Community.objects.values_list("name", "province")
        }
        councils = _taken(
            Council, "has a real council", "kept its sample council: real rows depend on it"
        )
        groups_taken = _taken(
            WorkingGroup,
            "has real working groups",
            "kept sample working groups: real rows depend on them",
        )
        plans = _taken(
            CommunityPlan, "has a real plan", "kept its sample plan: real rows depend on it"
        )
        partnerships = Partnership.objects.prefetch_related("communities", "focus_areas").order_by(
            "slug"
        )
        places = demo_places(
            [p.slug for p in partnerships],
            {p.slug for p in partnerships if p.languages == Partnership.Languages.FRENCH},
        )
        for partnership in partnerships:
            rng = random.Random(f"{SEED}-{partnership.slug}")
            ctx = _context(partnership, place_names)
            orgs = _organizations(ctx, places[partnership.slug])
            if partnership.pk in councils:
                report.skipped.append(f"{partnership.slug}: {councils[partnership.pk]}")
                council_orgs = [builder._org_key(s) for s in orgs["settlement"]]
            else:
                council_orgs = builder.add_council(ctx, orgs, rng)
            groups: dict[str, WorkingGroup] = {}
            if partnership.pk in groups_taken:
                report.skipped.append(f"{partnership.slug}: {groups_taken[partnership.pk]}")
            else:
                groups = builder.add_working_groups(ctx, council_orgs, rng)
            if partnership.pk in plans:
                report.skipped.append(f"{partnership.slug}: {plans[partnership.pk]}")
            else:
                builder.add_plan(ctx, council_orgs, groups, rng)
        report.counts = builder.save()
        forget_sample_flag()  # bulk inserts send no signal
        bump_revision()
        refresh_statistics(sample_models())
    return report
