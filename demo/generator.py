"""Generate the demo data set: sample councils, working groups and community plans.

No real roster or plan is public, so demos need invented ones. Everything generated here is
marked ``is_sample=True``, uses @example.org / @example.com addresses and 555-01xx phone numbers,
and is rebuilt from a fixed seed: loading twice gives the same rows (dates are relative to the
day of the load, so "terms ending within 90 days" stay true whenever the demo is loaded).

Safety rules:
- only rows flagged ``is_sample`` are deleted, inside one transaction;
- a sample organization still referenced by a real row is kept (and reused);
- an organization that already exists (real or sample) with the same name and province is
  reused, never duplicated or modified;
- a partnership that already has a real council, real working groups or a real plan gets no
  sample rows of that kind, so demo data never collides with coordinators' data.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.test.utils import override_settings
from django.utils import timezone

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
from plans.models import Action, CommunityPlan, Indicator, Measurement, Priority

SEED = 20261121
SAMPLE_NOTE_EN = "Sample data generated for demonstration; not a real roster or plan."
SAMPLE_NOTE_FR = "Données fictives générées pour la démonstration ; pas un vrai répertoire."

PROVINCE_EN = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "the Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}
PROVINCE_FR_OF = {
    "AB": "de l'Alberta",
    "BC": "de la Colombie-Britannique",
    "MB": "du Manitoba",
    "NB": "du Nouveau-Brunswick",
    "NL": "de Terre-Neuve-et-Labrador",
    "NS": "de la Nouvelle-Écosse",
    "NT": "des Territoires du Nord-Ouest",
    "NU": "du Nunavut",
    "ON": "de l'Ontario",
    "PE": "de l'Île-du-Prince-Édouard",
    "QC": "du Québec",
    "SK": "de la Saskatchewan",
    "YT": "du Yukon",
}
IRCC_REGION = {
    "AB": ("Prairies and Northern Territories", "Prairies et Territoires du Nord"),
    "SK": ("Prairies and Northern Territories", "Prairies et Territoires du Nord"),
    "MB": ("Prairies and Northern Territories", "Prairies et Territoires du Nord"),
    "NT": ("Prairies and Northern Territories", "Prairies et Territoires du Nord"),
    "NU": ("Prairies and Northern Territories", "Prairies et Territoires du Nord"),
    "BC": ("British Columbia and Yukon", "Colombie-Britannique et Yukon"),
    "YT": ("British Columbia and Yukon", "Colombie-Britannique et Yukon"),
    "ON": ("Ontario", "Ontario"),
    "QC": ("Quebec", "Québec"),
    "NB": ("Atlantic", "Atlantique"),
    "NS": ("Atlantic", "Atlantique"),
    "PE": ("Atlantic", "Atlantique"),
    "NL": ("Atlantic", "Atlantique"),
}
AREA_CODE = {
    "AB": "403",
    "BC": "604",
    "MB": "204",
    "SK": "306",
    "ON": "416",
    "QC": "514",
    "NB": "506",
    "NS": "902",
    "PE": "902",
    "NL": "709",
    "NT": "867",
    "YT": "867",
    "NU": "867",
}
# Where a province-wide network has no mapped place: the city its sample partners sit in.
FALLBACK_ANCHOR = {
    "AB": "Edmonton",
    "BC": "Vancouver",
    "SK": "Regina",
    "NB": "Moncton",
    "NS": "Halifax",
    "MB": "Winnipeg",
    "ON": "Ottawa",
    "PE": "Charlottetown",
    "NL": "St. John's",
    "NT": "Yellowknife",
    "YT": "Whitehorse",
    "NU": "Iqaluit",
    "QC": "Montréal",
}

FIRST_NAMES = [
    "Amina",
    "Daniel",
    "Priya",
    "Mohammed",
    "Sarah",
    "Wei",
    "Olena",
    "Carlos",
    "Fatima",
    "James",
    "Mei",
    "Kwame",
    "Laura",
    "Arjun",
    "Sofia",
    "Tariq",
    "Grace",
    "Hiroshi",
    "Nadia",
    "Michael",
    "Aisha",
    "Luis",
    "Emily",
    "Ravi",
    "Hana",
    "Samuel",
    "Yasmin",
    "David",
    "Chloe",
    "Omar",
    "Anna",
    "Tomas",
    "Zainab",
    "Kevin",
    "Maria",
    "Jun",
    "Leila",
    "Patrick",
    "Rania",
    "Ethan",
    "Ngozi",
    "Marc",
    "Julia",
    "Ahmed",
    "Sunita",
    "Ben",
    "Irina",
    "Diego",
    "Fiona",
    "Kofi",
    "Lina",
    "Adrian",
    "Farah",
    "Noah",
    "Teresa",
    "Bashir",
    "Helen",
    "Min",
]
LAST_NAMES = [
    "Okafor",
    "Singh",
    "Chen",
    "Hassan",
    "Martin",
    "Nguyen",
    "Kowalenko",
    "Garcia",
    "Ahmed",
    "Thompson",
    "Li",
    "Mensah",
    "Roy",
    "Patel",
    "Rossi",
    "Khan",
    "MacDonald",
    "Tanaka",
    "Haddad",
    "Wilson",
    "Yusuf",
    "Fernandez",
    "Campbell",
    "Sharma",
    "Park",
    "Osei",
    "Karimi",
    "Brown",
    "Wong",
    "Abdi",
    "Novak",
    "Silva",
    "Kaur",
    "Murphy",
    "Santos",
    "Zhang",
    "Rahimi",
    "Clarke",
    "Adeyemi",
    "Dubois",
    "Fraser",
    "Petrov",
    "Morales",
    "Campbell",
    "Jama",
    "Reid",
    "Cruz",
    "Obi",
    "Lam",
    "Stewart",
    "Mahmoud",
    "Sato",
    "Kovac",
]
FIRST_NAMES_FR = [
    "Amélie",
    "Jean-François",
    "Aïcha",
    "Mathieu",
    "Fatou",
    "Geneviève",
    "Moussa",
    "Chantal",
    "Olivier",
    "Mariam",
    "Luc",
    "Nathalie",
    "Ibrahima",
    "Sophie",
    "Étienne",
    "Awa",
    "Pierre",
    "Josée",
    "Karim",
    "Isabelle",
    "Yves",
    "Aminata",
    "Simon",
    "Claudine",
    "Alain",
    "Rokia",
    "Julien",
    "Mireille",
    "Idriss",
    "Marie-Ève",
    "Denis",
    "Khadija",
    "Éric",
    "Sylvie",
    "Oumar",
]
LAST_NAMES_FR = [
    "Gagnon",
    "Diallo",
    "Leblanc",
    "Traoré",
    "Cormier",
    "Ndiaye",
    "Bouchard",
    "Camara",
    "Thériault",
    "Mbaye",
    "Gauthier",
    "Koné",
    "Robichaud",
    "Sow",
    "Arsenault",
    "Kaboré",
    "Landry",
    "Cissé",
    "Pelletier",
    "Bah",
    "Doucet",
    "Touré",
    "LeBlanc",
    "Haïdara",
    "Poirier",
    "Fall",
    "Belliveau",
    "Diop",
    "Lavoie",
    "Sylla",
    "Savoie",
    "Konaté",
    "Richard",
    "Keïta",
]

TITLES = {
    "municipal": ("Manager, Community Development", "Gestionnaire, développement communautaire"),
    "settlement": ("Executive Director", "Direction générale"),
    "provincial": ("Regional Settlement Consultant", "Conseillère régionale en établissement"),
    "federal": ("Senior Program Officer", "Agente principale de programme"),
    "employers": ("Chief Executive Officer", "Présidence-direction générale"),
    "school-boards": ("Superintendent of Education", "Surintendance de l'éducation"),
    "health": ("Director, Community Health", "Direction, santé communautaire"),
    "police": ("Inspector, Community Safety", "Inspecteur, sécurité communautaire"),
    "libraries": ("Manager, Community Services", "Responsable des services communautaires"),
    "social-services": ("Program Director", "Direction des programmes"),
    "ethnocultural-faith": ("President", "Présidence"),
    "francophone": ("Directrice générale", "Direction générale"),
    "post-secondary": ("Dean, Community Education", "Doyenne, formation continue"),
    "civil-society": ("Coordinator", "Coordination"),
    "friendship-centres": ("Executive Director", "Direction générale"),
    "indigenous": ("Knowledge Keeper", "Gardien du savoir"),
    "housing": ("Housing Program Manager", "Gestion des programmes de logement"),
    "labour": ("President", "Présidence"),
    "philanthropy": ("Director of Grants", "Direction des subventions"),
    "newcomers": ("Newcomer representative", "Représentante des personnes immigrantes"),
}

# focus slug -> working group (en, fr), priority (en, fr), actions [(en, fr)], indicator spec
THEMES: dict[str, dict[str, Any]] = {
    "employment": {
        "wg": ("Employment Working Group", "Groupe de travail sur l'emploi"),
        "priority": (
            "Newcomers find work that matches their skills",
            "Les personnes immigrantes trouvent un emploi à la mesure de leurs compétences",
        ),
        "actions": [
            (
                "Run employer information sessions on hiring newcomers",
                "Séances d'information pour les employeurs",
            ),
            (
                "Launch a mentorship pilot with local employers",
                "Projet pilote de mentorat avec des employeurs",
            ),
            (
                "Publish a guide to credential recognition",
                "Guide sur la reconnaissance des titres de compétences",
            ),
        ],
        "indicator": ("Employers engaged in newcomer hiring", "employers", "higher", 15, 40),
        "source": "Partnership employer survey",
    },
    "housing": {
        "wg": ("Housing Working Group", "Groupe de travail sur le logement"),
        "priority": (
            "Newcomers find safe and affordable housing",
            "Les personnes immigrantes trouvent un logement sûr et abordable",
        ),
        "actions": [
            (
                "Map affordable housing supports for newcomers",
                "Cartographier les ressources en logement",
            ),
            ("Hold landlord information sessions", "Séances d'information pour les propriétaires"),
            ("Pilot a housing navigator service", "Projet pilote d'accompagnement au logement"),
        ],
        "indicator": ("Average wait for housing help (days)", "days", "lower", 60, 30),
        "source": "Settlement agencies' intake records",
    },
    "language": {
        "wg": ("Language Access Working Group", "Groupe de travail sur l'accès linguistique"),
        "priority": (
            "Language learning fits newcomers' lives",
            "L'apprentissage des langues s'adapte à la vie des personnes immigrantes",
        ),
        "actions": [
            (
                "Add evening and online language classes",
                "Ajouter des cours de langue le soir et en ligne",
            ),
            ("Train front-line staff on plain language", "Former le personnel au langage clair"),
            ("Create a conversation circle network", "Créer un réseau de cercles de conversation"),
        ],
        "indicator": ("Conversation circle participants", "participants", "higher", 80, 200),
        "source": "Library and settlement agency attendance records",
    },
    "settlement-services": {
        "wg": (
            "Service Coordination Working Group",
            "Groupe de travail sur la concertation des services",
        ),
        "priority": (
            "Services are easy to find and well coordinated",
            "Des services faciles à trouver et bien coordonnés",
        ),
        "actions": [
            (
                "Publish a shared directory of newcomer services",
                "Publier un répertoire commun des services",
            ),
            (
                "Hold quarterly service provider network meetings",
                "Rencontres trimestrielles des fournisseurs de services",
            ),
            ("Agree on a common referral protocol", "Adopter un protocole commun d'aiguillage"),
        ],
        "indicator": (
            "Organizations using the shared referral protocol",
            "organizations",
            "higher",
            5,
            25,
        ),
        "source": "Partnership records",
    },
    "social-inclusion": {
        "wg": (
            "Welcoming Communities Working Group",
            "Groupe de travail sur les communautés accueillantes",
        ),
        "priority": (
            "Newcomers feel they belong",
            "Les personnes immigrantes se sentent chez elles",
        ),
        "actions": [
            (
                "Organize a Welcoming Week with community partners",
                "Organiser une Semaine de l'accueil",
            ),
            (
                "Match newcomer families with local volunteers",
                "Jumeler des familles immigrantes et des bénévoles",
            ),
            (
                "Run intercultural neighbourhood events",
                "Tenir des activités interculturelles de quartier",
            ),
        ],
        "indicator": ("Newcomers reporting a strong sense of belonging", "%", "higher", 45, 65),
        "source": "Annual newcomer survey",
    },
    "health": {
        "wg": (
            "Health and Wellbeing Working Group",
            "Groupe de travail sur la santé et le mieux-être",
        ),
        "priority": (
            "Newcomers get timely health and mental health care",
            "Un accès rapide aux soins de santé et de santé mentale",
        ),
        "actions": [
            ("Train health providers on newcomer needs", "Former les fournisseurs de soins"),
            (
                "Promote interpretation services in clinics",
                "Promouvoir l'interprétation dans les cliniques",
            ),
            ("Pilot newcomer mental health peer support", "Projet pilote de soutien par les pairs"),
        ],
        "indicator": ("Newcomers without a family doctor", "%", "lower", 35, 20),
        "source": "Annual newcomer survey",
    },
    "education": {
        "wg": ("Education Working Group", "Groupe de travail sur l'éducation"),
        "priority": (
            "Newcomer children and youth thrive at school",
            "Les jeunes immigrants réussissent à l'école",
        ),
        "actions": [
            (
                "Hold school orientation sessions for parents",
                "Séances d'orientation scolaire pour les parents",
            ),
            ("Expand homework clubs", "Élargir les clubs de devoirs"),
            ("Train teachers on trauma-informed practice", "Former le personnel enseignant"),
        ],
        "indicator": ("Parents attending school orientation", "parents", "higher", 60, 150),
        "source": "School board records",
    },
    "anti-racism": {
        "wg": (
            "Anti-Racism and Equity Working Group",
            "Groupe de travail sur l'antiracisme et l'équité",
        ),
        "priority": (
            "A community free of racism and discrimination",
            "Une communauté sans racisme ni discrimination",
        ),
        "actions": [
            (
                "Deliver anti-racism training to partners",
                "Offrir une formation antiracisme aux partenaires",
            ),
            ("Launch a public awareness campaign", "Lancer une campagne de sensibilisation"),
            (
                "Set up a way to report discrimination",
                "Mettre en place un mécanisme de signalement",
            ),
        ],
        "indicator": ("Partner staff trained on anti-racism", "people", "higher", 40, 200),
        "source": "Training attendance records",
    },
    "civic-engagement": {
        "wg": ("Civic Engagement Working Group", "Groupe de travail sur l'engagement civique"),
        "priority": (
            "Newcomers take part in civic life",
            "Les personnes immigrantes participent à la vie civique",
        ),
        "actions": [
            ("Run a civic leadership program for newcomers", "Programme de leadership civique"),
            (
                "Recruit newcomers to municipal advisory boards",
                "Recruter aux comités consultatifs municipaux",
            ),
            ("Hold a newcomer town hall", "Tenir une assemblée publique"),
        ],
        "indicator": ("Newcomers on local boards and committees", "people", "higher", 5, 20),
        "source": "Municipal clerk's records",
    },
    "public-education": {
        "wg": ("Public Awareness Working Group", "Groupe de travail sur la sensibilisation"),
        "priority": (
            "Residents understand the benefits of immigration",
            "La population comprend l'apport de l'immigration",
        ),
        "actions": [
            (
                "Publish newcomer stories in local media",
                "Publier des récits dans les médias locaux",
            ),
            ("Present to service clubs and councils", "Présentations aux clubs et conseils"),
            (
                "Share an annual immigration fact sheet",
                "Diffuser une fiche annuelle sur l'immigration",
            ),
        ],
        "indicator": ("People reached by awareness activities", "people", "higher", 2000, 8000),
        "source": "Campaign analytics",
    },
    "research": {
        "wg": (
            "Research and Data Working Group",
            "Groupe de travail sur la recherche et les données",
        ),
        "priority": (
            "Plans rest on good local data",
            "Des plans fondés sur de bonnes données locales",
        ),
        "actions": [
            ("Run the annual newcomer survey", "Mener le sondage annuel"),
            ("Publish a local immigration data profile", "Publier un profil statistique local"),
            (
                "Share data with partners through a dashboard",
                "Partager les données par un tableau de bord",
            ),
        ],
        "indicator": ("Newcomer survey responses", "responses", "higher", 150, 500),
        "source": "Annual newcomer survey",
    },
    "retention": {
        "wg": (
            "Attraction and Retention Working Group",
            "Groupe de travail sur l'attraction et la rétention",
        ),
        "priority": (
            "Newcomers choose to stay",
            "Les personnes immigrantes choisissent de rester",
        ),
        "actions": [
            ("Follow up with newcomers after their first year", "Suivi après la première année"),
            ("Promote the region at settlement fairs", "Promouvoir la région dans les salons"),
            ("Connect spouses to local jobs", "Aider les conjoints à trouver un emploi"),
        ],
        "indicator": ("Newcomers still living here after 3 years", "%", "higher", 55, 70),
        "source": "IRCC and provincial retention data",
    },
    "justice": {
        "wg": (
            "Justice and Protection Working Group",
            "Groupe de travail sur la justice et la protection",
        ),
        "priority": (
            "Newcomers trust and understand justice services",
            "Les personnes immigrantes comprennent les services de justice",
        ),
        "actions": [
            ("Hold legal information clinics", "Tenir des cliniques d'information juridique"),
            (
                "Run police–newcomer dialogue sessions",
                "Dialogues entre la police et les nouveaux arrivants",
            ),
            ("Translate key safety information", "Traduire l'information clé sur la sécurité"),
        ],
        "indicator": ("Legal information clinic participants", "participants", "higher", 30, 120),
        "source": "Clinic attendance records",
    },
    "francophone-immigration": {
        "wg": (
            "Francophone Immigration Working Group",
            "Comité d'accueil et d'intégration francophone",
        ),
        "priority": (
            "French-speaking newcomers are welcomed in French",
            "Les personnes immigrantes d'expression française sont accueillies en français",
        ),
        "actions": [
            ("Map French-language services", "Cartographier les services en français"),
            (
                "Hold Francophone Immigration Week events",
                "Activités de la Semaine nationale de l'immigration francophone",
            ),
            (
                "Refer French-speaking clients between partners",
                "Aiguiller la clientèle francophone entre partenaires",
            ),
        ],
        "indicator": ("French-speaking newcomers referred in French", "people", "higher", 50, 200),
        "source": "Partner referral records",
    },
    "youth": {
        "wg": ("Youth Working Group", "Groupe de travail jeunesse"),
        "priority": (
            "Newcomer youth have paths to school and work",
            "Les jeunes immigrants ont des parcours vers l'école et l'emploi",
        ),
        "actions": [
            ("Run a summer youth leadership program", "Programme estival de leadership jeunesse"),
            ("Offer youth job-readiness workshops", "Ateliers de préparation à l'emploi"),
            ("Start a youth advisory circle", "Créer un cercle consultatif jeunesse"),
        ],
        "indicator": ("Youth completing leadership programs", "youth", "higher", 20, 60),
        "source": "Program records",
    },
    "humanitarian": {
        "wg": ("Humanitarian Response Table", "Table d'intervention humanitaire"),
        "priority": (
            "The community is ready for humanitarian arrivals",
            "La communauté est prête à accueillir des personnes réfugiées",
        ),
        "actions": [
            (
                "Keep a rapid-response contact list up to date",
                "Tenir à jour une liste d'intervention rapide",
            ),
            (
                "Train volunteers for arrival surges",
                "Former des bénévoles pour les arrivées massives",
            ),
            ("Coordinate donations with partners", "Coordonner les dons avec les partenaires"),
        ],
        "indicator": ("Trained response volunteers", "volunteers", "higher", 25, 80),
        "source": "Volunteer centre records",
    },
}
INDICATOR_FR = {
    "employment": ("Employeurs engagés dans l'embauche de personnes immigrantes", "employeurs"),
    "housing": ("Attente moyenne pour une aide au logement (jours)", "jours"),
    "language": ("Participants aux cercles de conversation", "participants"),
    "settlement-services": ("Organismes utilisant le protocole d'aiguillage", "organismes"),
    "social-inclusion": ("Personnes immigrantes ayant un fort sentiment d'appartenance", "%"),
    "health": ("Personnes immigrantes sans médecin de famille", "%"),
    "education": ("Parents présents aux séances d'orientation scolaire", "parents"),
    "anti-racism": ("Personnel des partenaires formé à l'antiracisme", "personnes"),
    "civic-engagement": ("Personnes immigrantes siégeant à des comités locaux", "personnes"),
    "public-education": ("Personnes jointes par la sensibilisation", "personnes"),
    "research": ("Réponses au sondage annuel", "réponses"),
    "retention": ("Personnes immigrantes encore ici après 3 ans", "%"),
    "justice": ("Participants aux cliniques juridiques", "participants"),
    "francophone-immigration": ("Personnes aiguillées en français", "personnes"),
    "youth": ("Jeunes ayant terminé un programme de leadership", "jeunes"),
    "humanitarian": ("Bénévoles formés à l'intervention", "bénévoles"),
}
WG_STATUS = [
    (WorkingGroup.Status.ACTIVE, 6),
    (WorkingGroup.Status.RECRUITING, 3),
    (WorkingGroup.Status.PAUSED, 1),
]
MEETS = ["Monthly", "Every two months", "Quarterly", "Quarterly", "Six times a year"]
MEETS_FR = [
    "Chaque mois",
    "Tous les deux mois",
    "Chaque trimestre",
    "Chaque trimestre",
    "Six fois par an",
]


@dataclass
class DemoReport:
    """Counts of what the demo load created."""

    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

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
        anchor, anchor_pop = FALLBACK_ANCHOR[partnership.province], 100000
    if main == "Sudbury":  # the Réseau du Nord's main community is Greater Sudbury's core
        anchor = "Sudbury"
    region = (
        PROVINCE_EN[partnership.province]
        if partnership.is_province_wide and not places
        else _short_region(partnership.main_community) or anchor
    )
    if "province-wide" in partnership.main_community:
        region = PROVINCE_EN[partnership.province]
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


# An organization spec: (sector slug, name, French name, city, province)
OrgSpec = tuple[str, str, str, str, str]


def _organizations(ctx: Context) -> dict[str, list[OrgSpec]]:
    """Plausible local organizations for one partnership, by sector (shared ones reuse names)."""
    a, r, prov = ctx.anchor, ctx.region, ctx.province
    of = PROVINCE_FR_OF[prov]
    region_en, region_fr = IRCC_REGION[prov]
    shared = {
        "provincial": [
            (
                "provincial",
                f"Government of {PROVINCE_EN[prov].removeprefix('the ')} – Settlement and "
                "Integration Branch",
                f"Gouvernement {of} – Direction de l'établissement et de l'intégration",
                "",
                prov,
            )
        ],
        "federal": [
            (
                "federal",
                f"Immigration, Refugees and Citizenship Canada – {region_en} Region",
                f"Immigration, Réfugiés et Citoyenneté Canada – Région {region_fr}",
                "",
                "",
            )
        ],
    }
    if ctx.french:
        specs = {
            "municipal": [f"Ville {_de(a)}"],
            "settlement": [
                f"Centre d'accueil et d'établissement {of}",
                f"Accueil francophone {_de(a)}",
            ],
            "francophone": [
                f"Assemblée de la francophonie {of}",
                f"Fédération des parents francophones {of}",
                f"Fédération des jeunes francophones {of}",
                f"Fédération des aînées et aînés francophones {of}",
            ],
            "school-boards": [f"Conseil scolaire francophone {of}"],
            "health": [f"Réseau santé en français {of}"],
            "employers": [
                f"Conseil de développement économique {of}",
                f"Chambre de commerce francophone {_de(a)}",
            ],
            "post-secondary": [f"Collège francophone {of}"],
            "civil-society": [
                f"Association des juristes d'expression française {of}",
                f"Centre communautaire francophone {_de(a)}",
            ],
            "ethnocultural-faith": [f"Association multiculturelle francophone {of}"],
            "social-services": [f"Services à la famille francophones {_de(a)}"],
            "libraries": [f"Bibliothèque publique {_de(a)}"],
            "indigenous": [f"Cercle autochtone {_de(a)}"],
            "friendship-centres": [f"Centre d'amitié autochtone {_de(a)}"],
        }
        result = {
            sector: [(sector, name, name, a, prov) for name in names]
            for sector, names in specs.items()
        }
    else:
        city = "City" if ctx.anchor_population >= 10000 else "Town"
        municipal = [f"{city} of {a}"]
        if ctx.second:
            municipal.append(f"Town of {ctx.second}")
        if r != a and ("Region" in r or "County" in r):
            municipal.insert(0, r)
        if prov == "ON":
            schools = [f"{r} District School Board", f"{r} Catholic District School Board"]
        elif prov == "BC":
            schools = [f"{a} School District"]
        elif prov == "AB":
            schools = [f"{a} Public Schools", f"{a} Catholic Schools"]
        else:
            schools = [f"{r} School Division"]
        police = (
            [f"{a} Police Service"]
            if ctx.anchor_population >= 50000
            else [f"{'OPP' if prov == 'ON' else 'RCMP'} {a} Detachment"]
        )
        specs = {
            "municipal": municipal,
            "settlement": [
                f"{a} Immigrant Services",
                f"{r} Newcomer Centre",
                f"{r} Settlement and Language Services",
            ],
            "school-boards": schools,
            "libraries": [f"{a} Public Library"],
            "police": police,
            "health": [f"{r} Community Health Centre", f"{r} Public Health"],
            "employers": [
                f"{a} Chamber of Commerce",
                f"{r} Workforce Planning Board",
                f"{a} Economic Development Office",
            ],
            "post-secondary": [f"{r} College"],
            "ethnocultural-faith": [
                f"{a} Multicultural Association",
                f"{a} Interfaith Council",
                f"{a} African Community Association",
                f"{a} Filipino Community Association",
            ],
            "social-services": [f"{a} Family Services", f"United Way {r}"],
            "civil-society": [f"{a} Volunteer Centre"],
            "francophone": [f"Association francophone {_de(a)}"],
            "friendship-centres": [f"{a} Friendship Centre"],
            "indigenous": [f"{r} Métis Local"],
            "housing": [f"{a} Housing Society"],
            "labour": [f"{r} District Labour Council"],
            "philanthropy": [f"{a} Community Foundation"],
        }
        result = {
            sector: [
                (sector, name, name if sector == "francophone" else "", a, prov) for name in names
            ]
            for sector, names in specs.items()
        }
    result.update(shared)
    return result


def _person(rng: random.Random, french: bool, taken: set[str]) -> tuple[str, str, str]:
    firsts, lasts = (FIRST_NAMES_FR, LAST_NAMES_FR) if french else (FIRST_NAMES, LAST_NAMES)
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
        return f"{AREA_CODE[province]}-555-01{rng.randint(0, 99):02d}"

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
        if fr:
            core = ["francophone", "francophone", "settlement", "settlement", "municipal"]
            core += ["school-boards", "health", "employers", "post-secondary", "civil-society"]
            pool = ["francophone", "ethnocultural-faith", "civil-society", "social-services"]
            pool += ["libraries", "employers", "settlement", "health"]
        else:
            core = ["municipal", "settlement", "settlement", "school-boards", "libraries"]
            core += ["health", "employers", "post-secondary", "ethnocultural-faith"]
            core += ["social-services", "police"]
            pool = ["civil-society", "francophone", "friendship-centres", "housing", "labour"]
            pool += ["philanthropy", "ethnocultural-faith", "settlement", "employers"]
            pool += ["school-boards", "health", "social-services", "municipal"]
        sectors = ["newcomers"] * newcomer_seats + (["indigenous"] if indigenous else [])
        government = ["provincial", "federal"] if rng.random() < 0.8 else ["federal"]
        rest = core[:2] + rng.sample(core[2:], len(core) - 2)
        sectors += rest
        while len(sectors) + len(government) < active:
            open_sectors = [s for s in pool if sectors.count(s) < len(orgs.get(s, []))]
            sectors.append(rng.choice(open_sectors or pool))
        sectors = sectors[: max(active - len(government), 1)] + government
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
                title=TITLES[sector][1 if fr else 0],
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
                        title=TITLES[sector][1 if fr else 0],
                        email=f"{_ascii(first)}.{_ascii(last)}@example.org",
                        phone=self._phone(rng, p.province),
                        role=Role.MEMBER,
                        sector=self.sectors[sector],
                        term_start=_add_years(left, -2),
                        term_end=left,
                        left_on=left,
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
        wanted = [f.slug for f in p.focus_areas.all() if f.slug in THEMES]
        if fr and "francophone-immigration" not in wanted:
            wanted.insert(0, "francophone-immigration")
        extra = [s for s in THEMES if s not in wanted and (fr or s != "francophone-immigration")]
        rng.shuffle(extra)
        count = rng.randint(2, 5)
        themes = (wanted[:count] + extra)[:count]
        result: dict[str, WorkingGroup] = {}
        unique_orgs = list(dict.fromkeys(council_orgs))
        for slug in themes:
            theme = THEMES[slug]
            en, fr_name = theme["wg"]
            status = rng.choices([s for s, _ in WG_STATUS], [w for _, w in WG_STATUS])[0]
            meets_i = rng.randrange(len(MEETS))
            if fr:
                description = (
                    f"Réunit les partenaires de la région autour de l'objectif : "
                    f"{theme['priority'][1].lower()}. {SAMPLE_NOTE_FR}"
                )
                join = (
                    "Les organismes intéressés écrivent à la coordination du réseau "
                    "(coordination@example.org) ; les nouveaux membres sont accueillis à la "
                    "réunion suivante."
                )
            else:
                description = (
                    f"Brings {ctx.region} partners together so that "
                    f"{theme['priority'][0][0].lower()}{theme['priority'][0][1:]}. {SAMPLE_NOTE_EN}"
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
                meeting_frequency=MEETS_FR[meets_i] if fr else MEETS[meets_i],
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
        places = ", ".join(ctx.places[:6]) or PROVINCE_EN[p.province]
        if fr:
            vision = (
                f"Une francophonie {PROVINCE_FR_OF[p.province]} accueillante, où chaque "
                "personne immigrante d'expression française trouve sa place et contribue à la "
                "vitalité des communautés."
            )
            profile = (
                f"{SAMPLE_NOTE_FR} Le réseau couvre {places}. Les priorités ci-dessous sont "
                "fictives."
            )
        else:
            vision = (
                f"{ctx.region} is a welcoming community where newcomers belong, thrive and "
                "shape its future."
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
            community_profile=profile,
            status=CommunityPlan.Status.ACTIVE,
            approved_on=datetime.date(start - 1, rng.randint(9, 12), rng.randint(1, 28)),
            is_sample=True,
        )
        self.plans.append(plan)
        slugs = list(groups)
        extra = [s for s in THEMES if s not in slugs and (fr or s != "francophone-immigration")]
        rng.shuffle(extra)
        count = rng.randint(3, 5)
        chosen = slugs + [f.slug for f in p.focus_areas.all() if f.slug in THEMES] + extra
        chosen = list(dict.fromkeys(chosen))[:count]
        for order, slug in enumerate(chosen):
            theme = THEMES[slug]
            priority = Priority(
                plan=plan,
                focus_area=self.focus.get(slug),
                title=theme["priority"][1 if fr else 0],
                title_fr=theme["priority"][1],
                description=SAMPLE_NOTE_FR if fr else SAMPLE_NOTE_EN,
                order=order,
            )
            self.priorities.append(priority)
            for offset, action_year in enumerate(range(start, end + 1)):
                title_en, title_fr = theme["actions"][offset % len(theme["actions"])]
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
                            plan=plan,
                            priority=priority,
                            year=action_year,
                            title=f"{title_fr if fr else title_en} ({action_year})",
                            working_group=groups.get(slug),
                            status=status,
                            due_date=datetime.date(action_year, rng.randint(3, 12), 28),
                        ),
                        lead,
                    )
                )
            name, unit, polarity, baseline, target = theme["indicator"]
            if fr:
                name, unit = INDICATOR_FR.get(slug, (name, unit))
            scale = max(1, ctx.population // 100000) if unit not in ("%", "days") else 1
            baseline_value = Decimal(baseline * scale)
            target_value = Decimal(target * scale)
            indicator = Indicator(
                priority=priority,
                name=name,
                unit=unit,
                baseline_value=baseline_value,
                baseline_year=start - 1,
                target_value=target_value,
                target_year=end,
                polarity=polarity,
                data_source=theme["source"],
            )
            self.indicators.append(indicator)
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
                    )
                )

    # -- write -------------------------------------------------------------------------------
    def save(self) -> dict[str, int]:
        """Create organizations (reusing existing ones), then every row in dependency order."""
        existing = {
            (o.lname, o.province): o.pk
            for o in Organization.objects.annotate(lname=Lower("name")).filter(
                lname__in={k[0] for k in self.org_specs}
            )
        }
        new_orgs = [
            Organization(
                sector=self.sectors[spec[0]],
                name=spec[1],
                name_fr=spec[2],
                city=spec[3],
                province=spec[4],
                is_sample=True,
            )
            for key, spec in self.org_specs.items()
            if key not in existing
        ]
        Organization.objects.bulk_create(new_orgs, batch_size=500)
        org_ids = dict(existing)
        org_ids.update({(o.name.lower(), o.province): o.pk for o in new_orgs})

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


def remove_sample_data() -> None:
    """Delete every sample row (plans, working groups, councils, then unused organizations).

    History is switched off for the delete: sample rows are bulk-created without history, and
    recording thousands of deletions on every demo reload would only bloat the audit tables.
    """
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        CommunityPlan.objects.filter(is_sample=True).delete()
        WorkingGroup.objects.filter(is_sample=True).delete()
        Council.objects.filter(is_sample=True).delete()
        unused = Organization.objects.filter(
            is_sample=True,
            council_memberships__isnull=True,
            led_working_groups__isnull=True,
            working_groups__isnull=True,
            hosted_partnerships__isnull=True,
            led_actions__isnull=True,
        )
        Organization.objects.filter(pk__in=list(unused.values_list("pk", flat=True))).delete()


def load_demo_data(today: datetime.date | None = None) -> DemoReport:
    """Replace all sample rows with a freshly generated, deterministic set, in one transaction."""
    today = today or timezone.localdate()
    report = DemoReport()
    with transaction.atomic():
        remove_sample_data()
        builder = DemoBuilder(today)
        place_names = {
            (name.lower(), province)
            for name, province in Community.objects.values_list("name", "province")
        }
        real_councils = set(
            Council.objects.filter(is_sample=False).values_list("partnership_id", flat=True)
        )
        real_groups = set(
            WorkingGroup.objects.filter(is_sample=False).values_list("partnership_id", flat=True)
        )
        real_plans = set(
            CommunityPlan.objects.filter(is_sample=False).values_list("partnership_id", flat=True)
        )
        partnerships = Partnership.objects.prefetch_related("communities", "focus_areas").order_by(
            "slug"
        )
        for partnership in partnerships:
            rng = random.Random(f"{SEED}-{partnership.slug}")
            ctx = _context(partnership, place_names)
            orgs = _organizations(ctx)
            if partnership.pk in real_councils:
                report.skipped.append(f"{partnership.slug}: has a real council")
                council_orgs = [builder._org_key(s) for s in orgs["settlement"]]
            else:
                council_orgs = builder.add_council(ctx, orgs, rng)
            groups: dict[str, WorkingGroup] = {}
            if partnership.pk in real_groups:
                report.skipped.append(f"{partnership.slug}: has real working groups")
            else:
                groups = builder.add_working_groups(ctx, council_orgs, rng)
            if partnership.pk in real_plans:
                report.skipped.append(f"{partnership.slug}: has a real plan")
            else:
                builder.add_plan(ctx, council_orgs, groups, rng)
        report.counts = builder.save()
    return report
