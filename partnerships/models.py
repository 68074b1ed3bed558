"""Partnerships, the places they serve, and the people and organizations at their tables."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scoping import OwnedQuerySet
from .text import CleanTextModel


class Province(models.TextChoices):
    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


def localized(obj: Any, field: str) -> str:
    """The French value of ``field`` when the active language is French and one exists."""
    if (get_language() or "en").startswith("fr"):
        french = getattr(obj, f"{field}_fr", "")
        if french:
            return french
    return getattr(obj, field) or getattr(obj, f"{field}_fr", "")


class TimeStamped(CleanTextModel):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SampleData(models.Model):
    """Abstract base of every model the demo generator writes: its rows say they are samples.

    Removing demo data deletes flagged rows only, so a row a coordinator adds under a sample
    council (unflagged) is never lost.
    """

    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Generated demo data, never loaded in production."),
    )

    class Meta:
        abstract = True


class FocusArea(CleanTextModel):
    """A theme a partnership works on (housing, employment...). Seeded from DOMAIN.md."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(_("French name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Sector(CleanTextModel):
    """A sector a council member represents. ``recommended`` marks the sectors IRCC expects."""

    NEWCOMERS = "newcomers"
    INDIGENOUS = "indigenous"

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_fr = models.CharField(_("French name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    recommended = models.BooleanField(
        _("recommended by IRCC"),
        default=False,
        help_text=_("IRCC's funding guidelines expect this sector on a main council."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Community(CleanTextModel):
    """A populated place (from GeoNames) that a partnership serves."""

    name = models.CharField(_("name"), max_length=120)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), unique=True, null=True, blank=True)

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        indexes = [models.Index(fields=["province", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=41) & Q(latitude__lte=84),
                name="community_latitude_in_canada",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-142) & Q(longitude__lte=-52),
                name="community_longitude_in_canada",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.province}"


class Organization(SampleData, TimeStamped):
    """One record per real organization, shared by every partnership it takes part in."""

    #: Coordinators add and change organizations (see organization_editable_by), never delete.
    shared_by_partnerships = True

    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "province", name="organization_unique_name_per_province"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class PartnershipQuerySet(OwnedQuerySet):
    """Freshness annotations for the site admin's review of the real records."""

    def with_freshness(self) -> PartnershipQuerySet:
        """Newest source year, secondary-only sources, estimated places, public contact."""
        secondary = Q(sources__kind=Source.Kind.SECONDARY)
        return self.annotate(
            newest_source_year=models.Max("sources__year"),
            source_count=models.Count("sources", distinct=True),
            primary_source_count=models.Count("sources", filter=~secondary, distinct=True),
            estimated_places=models.Count(
                "served", filter=~Q(served__basis=ServedCommunity.Basis.NAMED), distinct=True
            ),
        )

    def unverified(self) -> PartnershipQuerySet:
        """The rows :meth:`Partnership.verification_reasons` flags, as one SQL filter.

        Same three conditions and constants (low confidence, newest source older than
        ``STALE_AFTER_YEARS``, only secondary sources or none); a test keeps the two in step.
        """
        stale_before = timezone.localdate().year - STALE_AFTER_YEARS
        return self.with_freshness().filter(
            Q(confidence=Partnership.Confidence.LOW)
            | Q(newest_source_year__lt=stale_before)
            | Q(primary_source_count=0)
        )

    def without_contact(self) -> PartnershipQuerySet:
        return self.filter(email="", phone="", contact_url="")

    def refresh_search_text(self) -> int:
        """Recompute the search column and sort key of these rows (for bulk writers)."""
        from .search_index import refresh_search_text

        return refresh_search_text(self.values_list("pk", flat=True))


class Partnership(TimeStamped):
    """A LIP, ZIP or RIF: a community planning table funded by IRCC."""

    partnership_path = ""

    class Kind(models.TextChoices):
        LIP = "LIP", _("Local Immigration Partnership")
        ZIP = "ZIP", _("Zonal Immigration Partnership")
        RIF = "RIF", _("Francophone Immigration Network")

    class HostType(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipality")
        COMMUNITY = "community", _("Community organization")
        CONSORTIUM = "consortium", _("Consortium")

    class Languages(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        BILINGUAL = "en-fr", _("English and French")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        IN_DEVELOPMENT = "in_development", _("In development")
        INACTIVE = "inactive", _("Inactive")

    class Confidence(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    aliases = models.TextField(
        _("former and other names"),
        blank=True,
        help_text=_("One per line; searchable but not displayed as the name."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    is_province_wide = models.BooleanField(_("serves the whole province"), default=False)
    main_community = models.CharField(_("main community or region"), max_length=200, blank=True)
    communities_served_text = models.TextField(
        _("communities served (as recorded)"),
        blank=True,
        help_text=_("The catchment as the source describes it, including areas with no map point."),
    )
    communities = models.ManyToManyField(
        Community,
        verbose_name=_("communities served"),
        related_name="partnerships",
        blank=True,
        through="ServedCommunity",
    )
    host_organization = models.TextField(
        _("host organization (as recorded)"),
        blank=True,
        help_text=_("Who convenes or holds the contribution agreement, as the source states it."),
    )
    host_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("host organizations"),
        related_name="hosted_partnerships",
        blank=True,
    )
    host_type = models.CharField(
        _("host type"), max_length=20, choices=HostType.choices, blank=True
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(
        _("public email"),
        blank=True,
        help_text=_("The partnership's published general address (not a council member's)."),
    )
    phone = models.CharField(
        _("public phone"),
        max_length=40,
        blank=True,
        help_text=_("The partnership's published general line (not a council member's)."),
    )
    contact_url = models.URLField(
        _("contact page"),
        max_length=300,
        blank=True,
        help_text=_("The public page where people are told how to reach the partnership."),
    )
    description = models.TextField(_("description"), blank=True)
    description_fr = models.TextField(_("French description"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), related_name="partnerships", blank=True
    )
    focus_areas_basis = models.TextField(
        _("focus areas: basis"),
        blank=True,
        help_text=_("What the cited plan, strategy or working groups name, and from when."),
    )
    languages = models.CharField(
        _("languages of service"),
        max_length=5,
        choices=Languages.choices,
        default=Languages.ENGLISH,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    confidence = models.CharField(
        _("confidence"), max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    verification_note = models.TextField(
        _("what is known, and from when"),
        blank=True,
        help_text=_("For a record on weak or old evidence: shown with the “unverified” notice."),
    )
    last_confirmed = models.DateField(
        _("last confirmed"),
        null=True,
        blank=True,
        help_text=_("The date a coordinator last confirmed this record is current."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        related_name="coordinated_partnerships",
        blank=True,
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Folded text that the public search matches; maintained automatically."),
    )
    sort_name = models.CharField(
        _("sort key"), max_length=700, blank=True, default="", editable=False
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text", "sort_name"])

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        # The public list's order on SQLite (PostgreSQL: see migration 0010).
        indexes = [
            models.Index(fields=["province", "sort_name", "id"], name="partnership_list_order"),
            # Near-me: the province-wide partnerships covering the searched point.
            models.Index(
                fields=["province"],
                condition=Q(is_province_wide=True),
                name="partnership_province_wide",
            ),
            # Near-me's "which partnerships cover me?": the province's networks.
            models.Index(fields=["province", "kind"], name="partnership_province_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["LIP", "ZIP", "RIF"]), name="partnership_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(province__in=[p.value for p in Province]),
                name="partnership_province_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:partnership-detail", kwargs={"slug": self.slug})

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the search column and the French sort key in step with the fields."""
        from .search_index import TEXT_FIELDS, related_names, search_document, sort_key

        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & {*TEXT_FIELDS, "search_text"}:
            names = related_names([self.pk]).get(self.pk, []) if self.pk else []
            self.search_text = search_document(vars(self), names)
            self.sort_name = sort_key(self.name)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text", "sort_name"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def has_public_contact(self) -> bool:
        return bool(self.email or self.phone or self.contact_url)

    def verification_reasons(self, sources: list[Source] | None = None) -> list[str]:
        """Why this record should be read as unverified (empty when it is not).

        The one rule for the "unverified" notice, the freshness view and the funder exports:
        low confidence, no source newer than five years, or only secondary sources (a toolkit
        or directory listing, never the partnership, its host or a public body).
        """
        if sources is None:
            sources = list(self.sources.all())
        reasons = []
        if self.confidence == self.Confidence.LOW:
            reasons.append(str(_("low confidence in the sources found")))
        years = [s.year for s in sources if s.year]
        if years and max(years) < timezone.localdate().year - STALE_AFTER_YEARS:
            reasons.append(str(_("the newest source is from %(year)s") % {"year": max(years)}))
        if sources and all(s.kind == Source.Kind.SECONDARY for s in sources):
            reasons.append(str(_("known only from secondary sources (a toolkit or a listing)")))
        if not sources:
            reasons.append(str(_("no source recorded")))
        return reasons

    def confirm_current(self, when: datetime.date | None = None) -> None:
        """Record that a coordinator has checked this record today."""
        self.last_confirmed = when or timezone.localdate()
        self.save(update_fields=["last_confirmed", "updated_at"])


STALE_AFTER_YEARS = 5


class ServedCommunity(models.Model):
    """A place a partnership serves, and how that is known."""

    partnership_path = "partnership"

    class Basis(models.TextChoices):
        NAMED = "named", _("named by the partnership or its sources")
        REGION = "region", _("estimated from the region's name")
        RULE = "rule", _("estimated by a rule (region expanded to its places)")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="served"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="served_by"
    )
    basis = models.CharField(
        _("how it is known"), max_length=10, choices=Basis.choices, default=Basis.NAMED
    )
    history = HistoricalRecords()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        db_table = "partnerships_partnership_communities"
        unique_together = [("partnership", "community")]
        # Near-me: the partnerships serving the communities within the radius, read from
        # the index alone (no visit to the table's scattered rows).
        indexes = [
            models.Index(fields=["community", "partnership"], name="served_community_partnership")
        ]
        verbose_name = _("served community")
        verbose_name_plural = _("served communities")

    def __str__(self) -> str:
        return f"{self.community} ({self.get_basis_display()})"

    @property
    def is_estimated(self) -> bool:
        return self.basis != self.Basis.NAMED


class Source(CleanTextModel):
    """A public document a partnership's record rests on, cited by title, publisher and year."""

    partnership_path = "partnership"

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("the partnership's own publication")
        HOST = "host", _("its host or a member organization")
        GOVERNMENT = "government", _("a government or public body")
        NEWS = "news", _("news")
        SECONDARY = "secondary", _("a secondary source (toolkit, directory, listing)")

    class Topic(models.TextChoices):
        GENERAL = "general", _("the record")
        CONTACT = "contact", _("public contact")
        DESCRIPTION = "description", _("description")
        FOCUS = "focus", _("focus areas")
        COVERAGE = "coverage", _("communities served")
        COUNCIL = "council", _("council members")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.PARTNERSHIP
    )
    topic = models.CharField(
        _("supports"), max_length=12, choices=Topic.choices, default=Topic.GENERAL
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "order", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | (Q(year__gte=1990) & Q(year__lte=2100)),
                name="source_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """Title, publisher, year: how the page names the source."""
        parts = [self.title]
        if self.publisher and self.publisher != self.title:
            parts.append(self.publisher)
        if self.year:
            parts.append(str(self.year))
        return ", ".join(parts)


class Council(SampleData, TimeStamped):
    """A governing table of a partnership: main council, steering committee..."""

    partnership_path = "partnership"

    class Kind(models.TextChoices):
        MAIN = "main", _("Main council")
        STEERING = "steering", _("Steering committee")
        EXECUTIVE = "executive", _("Executive committee")
        NEWCOMER_ADVISORY = "newcomer_advisory", _("Newcomer advisory table")
        OTHER = "other", _("Other")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="councils",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MAIN)
    name = models.CharField(_("name"), max_length=200)
    seats = models.PositiveSmallIntegerField(
        _("number of seats"), null=True, blank=True, help_text=_("Leave empty if not fixed.")
    )
    description = models.TextField(_("description"), blank=True)
    source = models.URLField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("The public page that lists this council's member organizations."),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "kind", "name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="council_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partnership.acronym or self.partnership.name})"


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    EX_OFFICIO = "ex_officio", _("Ex-officio")
    OBSERVER = "observer", _("Observer")


class MembershipQuerySet(OwnedQuerySet):
    @staticmethod
    def current_q(prefix: str = "") -> Q:
        """The "current member" rule as a filter; ``prefix`` reaches memberships through a
        relation (``"memberships__"`` from a council), for counts grouped in SQL."""
        return Q(**{f"{prefix}left_on__isnull": True})

    def current(self) -> MembershipQuerySet:
        """Members still sitting (including those past their term, until replaced)."""
        return self.filter(self.current_q())

    def expiring_within(self, days: int, today: datetime.date | None = None) -> MembershipQuerySet:
        today = today or timezone.localdate()
        return self.current().filter(
            term_end__gte=today, term_end__lte=today + datetime.timedelta(days=days)
        )

    def past_term(self, today: datetime.date | None = None) -> MembershipQuerySet:
        today = today or timezone.localdate()
        return self.current().filter(term_end__lt=today)


class CouncilMembership(SampleData, TimeStamped):
    """A roster row: who sits on a council, for which organization and sector, in which role."""

    partnership_path = "council__partnership"
    #: A person's name and contact details leave the roster only with their consent.
    private_fields = ("person_name", "email", "phone")
    consent_field = "publish_consent"

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_memberships",
        help_text=_("Leave empty for a newcomer or resident sitting in their own name."),
    )
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    voting = models.BooleanField(_("voting"), default=True)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Defaults to the organization's sector."),
    )
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    left_on = models.DateField(
        _("left the council on"),
        null=True,
        blank=True,
        help_text=_("Set when the member has been replaced or has stepped down."),
    )
    publish_consent = models.BooleanField(
        _("consents to publish name and contact details"), default=False
    )
    consent_date = models.DateField(_("consent recorded on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["council", "role", "organization__name", "person_name"]
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        permissions = [
            ("import_councilmembership", _("Can import council rosters")),
            ("export_councilmembership", _("Can export council rosters")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=F("term_start")),
                name="membership_term_end_after_start",
            ),
            # The roster rules of partnerships.rosters, held by the database as well so that
            # concurrent saves cannot break them (validated in Python by clean()).
            models.UniqueConstraint(
                F("council"),
                Coalesce(F("organization"), Value(0), output_field=models.BigIntegerField()),
                Lower("person_name"),
                condition=Q(left_on__isnull=True) & ~Q(person_name=""),
                name="membership_unique_active_person_org",
            ),
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(role="chair", left_on__isnull=True),
                name="membership_one_chair",
            ),
        ]

    def __str__(self) -> str:
        if getattr(self, "contacts_withheld", False):
            who = str(_("(name withheld)"))
        else:
            who = self.person_name or _("(vacant name)")
        org = self.organization.name if self.organization_id else _("own name")
        return f"{who} – {org}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.sector_id is None and self.organization_id:
            self.sector_id = (
                Organization.objects.filter(pk=self.organization_id)
                .values_list("sector_id", flat=True)
                .first()
            )
        if self.publish_consent and not self.consent_date:
            self.consent_date = timezone.localdate()
        if not self.publish_consent:
            self.consent_date = None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from .rosters import membership_errors

        # The council page's formset checks the whole roster at once (rows may swap roles).
        errors = membership_errors(self, roster_wide=not getattr(self, "_roster_checked", False))
        if errors:
            raise ValidationError(errors)

    def get_constraints(self) -> list:
        """Model validation leaves the roster constraints to :meth:`clean`'s field messages."""
        from .rosters import ROSTER_CONSTRAINTS

        return [
            (model, [c for c in constraints if c.name not in ROSTER_CONSTRAINTS])
            for model, constraints in super().get_constraints()
        ]


class WorkingGroup(SampleData, TimeStamped):
    """A thematic table where most of a partnership's work is done."""

    partnership_path = "partnership"

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RECRUITING = "recruiting", _("Recruiting members")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
    )
    description = models.TextField(_("description"), blank=True)
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_working_groups",
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("participating organizations"),
        related_name="working_groups",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    description_fr = models.TextField(_("French description"), blank=True)
    how_to_join = models.TextField(
        _("how to join"), blank=True, help_text=_("Shown publicly to organizations that want in.")
    )
    how_to_join_fr = models.TextField(_("how to join (French)"), blank=True)
    meeting_frequency = models.CharField(_("meets"), max_length=100, blank=True)
    meeting_frequency_fr = models.CharField(_("meets (French)"), max_length=100, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[organizations])

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="working_group_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")
