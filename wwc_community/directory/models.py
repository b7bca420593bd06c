"""Cities, organisations, topics and e-mail domains."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wwc_community.core.database import Base, utcnow


class PopulationBand(enum.StrEnum):
    """The population bands members compare their cities by."""

    SMALL = "30k-100k"
    MEDIUM = "100k-250k"
    LARGE = "250k-1m"
    VERY_LARGE = "1m+"

    @property
    def bounds(self) -> tuple[int, int | None]:
        """Lowest population in the band, and the first population above it (None: no top)."""
        return _BAND_BOUNDS[self]

    @property
    def label(self) -> str:
        return _BAND_LABELS[self]

    @classmethod
    def for_population(cls, population: int) -> "PopulationBand | None":
        for band in cls:
            low, high = band.bounds
            if population >= low and (high is None or population < high):
                return band
        return None


_BAND_BOUNDS = {
    PopulationBand.SMALL: (30_000, 100_000),
    PopulationBand.MEDIUM: (100_000, 250_000),
    PopulationBand.LARGE: (250_000, 1_000_000),
    PopulationBand.VERY_LARGE: (1_000_000, None),
}
_BAND_LABELS = {
    PopulationBand.SMALL: "30,000 to 100,000",
    PopulationBand.MEDIUM: "100,000 to 250,000",
    PopulationBand.LARGE: "250,000 to 1 million",
    PopulationBand.VERY_LARGE: "1 million and more",
}


class CertificationLevel(enum.StrEnum):
    """Certification levels of the data-and-evidence benchmark."""

    NONE = "none"
    SILVER = "silver"
    GOLD = "gold"
    PLATINUM = "platinum"

    @property
    def label(self) -> str:
        return "Not certified" if self is CertificationLevel.NONE else self.value.title()


class City(Base):
    """A US city of 30,000 or more residents."""

    __tablename__ = "city"
    __table_args__ = (
        CheckConstraint("population >= 0", name="population_not_negative"),
        CheckConstraint(
            "certification_level IN ('none', 'silver', 'gold', 'platinum')",
            name="certification_level_known",
        ),
        Index("ix_city_state_name", "state", "name"),
        Index("ix_city_population", "population"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(2))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    population: Mapped[int]
    population_source: Mapped[str] = mapped_column(String(80), default="")
    certification_level: Mapped[str] = mapped_column(String(16), default=CertificationLevel.NONE)
    certification_year: Mapped[int | None]
    geonames_id: Mapped[int | None] = mapped_column(unique=True)
    census_place_code: Mapped[str | None] = mapped_column(String(7), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    domains: Mapped[list["EmailDomain"]] = relationship(back_populates="city", lazy="raise")

    @property
    def population_band(self) -> PopulationBand | None:
        return PopulationBand.for_population(self.population)

    @property
    def certification(self) -> CertificationLevel:
        return CertificationLevel(self.certification_level)

    @property
    def label(self) -> str:
        """Name and state, as members type and read it: "Austin, TX"."""
        return f"{self.name}, {self.state}"

    def __repr__(self) -> str:
        return f"<City {self.label}>"


class Organisation(Base):
    """A partner organisation: evaluation, open-data, procurement or policy experts."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    domains: Mapped[list["EmailDomain"]] = relationship(back_populates="organisation", lazy="raise")

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class Topic(Base):
    """A practice area that profiles, threads, practices and events carry."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"


class EmailDomain(Base):
    """A domain whose verified addresses are approved at once for a city or organisation."""

    __tablename__ = "email_domain"
    __table_args__ = (
        CheckConstraint("(city_id IS NULL) <> (organisation_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    city_id: Mapped[int | None] = mapped_column(
        ForeignKey("city.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City | None] = relationship(back_populates="domains", lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(back_populates="domains", lazy="raise")

    @property
    def owner_label(self) -> str:
        return self.city.label if self.city is not None else self.organisation.name


member_expertise = Table(
    "member_expertise",
    Base.metadata,
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    # The directory filters members by topic: look up by topic first.
    Index("ix_member_expertise_topic_id_member_id", "topic_id", "member_id"),
)
