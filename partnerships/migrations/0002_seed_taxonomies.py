"""Seed the sector and focus-area taxonomies from DOMAIN.md (IRCC guidelines and plan practice)."""

from django.db import migrations

# (slug, English, French, recommended by IRCC for a main council)
SECTORS = [
    ("civil-society", "Local civil society organizations", "Organisations de la société civile locale", True),
    ("settlement", "Settlement service providers", "Fournisseurs de services d'établissement", True),
    ("municipal", "Municipal and regional government", "Gouvernement municipal et régional", True),
    ("provincial", "Provincial or territorial government", "Gouvernement provincial ou territorial", True),
    ("federal", "Federal government", "Gouvernement fédéral", True),
    ("employers", "Employers and business councils", "Employeurs et milieu des affaires", True),
    ("friendship-centres", "Friendship centres", "Centres d'amitié", True),
    ("school-boards", "School boards", "Conseils scolaires", True),
    ("health", "Health centres and networks", "Centres et réseaux de santé", True),
    ("police", "Police services", "Services de police", True),
    ("libraries", "Libraries", "Bibliothèques", True),
    ("social-services", "Social services", "Services sociaux", True),
    ("ethnocultural-faith", "Ethno-cultural and faith-based organizations", "Organismes ethnoculturels et confessionnels", True),
    ("francophone", "Francophone organizations", "Organismes francophones", True),
    ("post-secondary", "Post-secondary institutions", "Établissements postsecondaires", True),
    ("newcomers", "Newcomers", "Personnes nouvellement arrivées", True),
    ("indigenous", "Indigenous representatives", "Représentants autochtones", True),
    ("housing", "Housing providers", "Fournisseurs de logement", False),
    ("labour", "Labour and unions", "Syndicats", False),
    ("philanthropy", "Foundations and funders", "Fondations et bailleurs de fonds", False),
    ("other", "Other", "Autre", False),
]

# (slug, English, French)
FOCUS_AREAS = [
    ("housing", "Housing", "Logement"),
    ("employment", "Employment", "Emploi"),
    ("language", "Language", "Langue"),
    ("settlement-services", "Settlement services and coordination", "Services d'établissement et concertation"),
    ("social-inclusion", "Social inclusion and welcoming communities", "Inclusion sociale et communautés accueillantes"),
    ("transportation", "Transportation", "Transport"),
    ("health", "Health and mental health", "Santé et santé mentale"),
    ("education", "Education", "Éducation"),
    ("anti-racism", "Anti-racism", "Lutte contre le racisme"),
    ("gender-equality", "Gender equality (GBA Plus)", "Égalité des genres (ACS Plus)"),
    ("reconciliation", "Truth and Reconciliation", "Vérité et réconciliation"),
    ("francophone-immigration", "Francophone immigration", "Immigration francophone"),
    ("youth", "Youth", "Jeunesse"),
    ("seniors", "Seniors", "Personnes aînées"),
    ("2slgbtqi", "2SLGBTQI+ newcomers", "Personnes nouvellement arrivées 2ELGBTQI+"),
    ("justice", "Justice and policing", "Justice et services policiers"),
    ("humanitarian", "Humanitarian response", "Réponse humanitaire"),
    ("retention", "Retention in small and rural centres", "Rétention dans les petits centres et en milieu rural"),
    ("research", "Research and data", "Recherche et données"),
    ("public-education", "Public education and awareness", "Sensibilisation du public"),
    ("civic-engagement", "Civic engagement", "Engagement civique"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("partnerships", "Sector")
    FocusArea = apps.get_model("partnerships", "FocusArea")
    for order, (slug, name, name_fr, recommended) in enumerate(SECTORS):
        Sector.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_fr": name_fr, "recommended": recommended, "order": order},
        )
    for order, (slug, name, name_fr) in enumerate(FOCUS_AREAS):
        FocusArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_fr": name_fr, "order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("partnerships", "Sector").objects.filter(slug__in=[s[0] for s in SECTORS]).delete()
    apps.get_model("partnerships", "FocusArea").objects.filter(
        slug__in=[f[0] for f in FOCUS_AREAS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
