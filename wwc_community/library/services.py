"""Operations on the practice library. Every verb takes the acting member (or None for a
visitor) and leaves the commit to the caller.

Who sees what: published entries are public; drafts and unpublished entries are seen
only by staff of the entry's organisation and by coordinators, and are "not found" to
everyone else, so their existence is not revealed.
"""

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member, Role
from wwc_community.core.errors import NotFound
from wwc_community.library.models import EvaluationDesign, EvidenceTier, Practice, PracticeStatus

# The tier each evaluation design supports, and what it means in plain words.
TIER_OF_DESIGN = {
    EvaluationDesign.RANDOMISED_TRIAL: EvidenceTier.STRONG,
    EvaluationDesign.QUASI_EXPERIMENTAL: EvidenceTier.MODERATE,
    EvaluationDesign.PRE_POST: EvidenceTier.PROMISING,
    EvaluationDesign.DESCRIPTIVE: EvidenceTier.EMERGING,
}
TIER_EXPLANATIONS = {
    EvidenceTier.STRONG: (
        "Strong: a randomised trial compared places or people who got the practice with "
        "similar ones who did not, so the difference in results can be credited to it."
    ),
    EvidenceTier.MODERATE: (
        "Moderate: a comparison group that was not chosen at random (quasi-experimental) "
        "suggests the practice caused the change, but other differences may explain part "
        "of it."
    ),
    EvidenceTier.PROMISING: (
        "Promising: results improved after the practice began (before and after), but "
        "without a comparison group other changes at the same time may explain it."
    ),
    EvidenceTier.EMERGING: (
        "Emerging: a description of what was done and seen, useful for learning how, not "
        "proof that it works."
    ),
}


def evidence_tier_for(design: str | None) -> EvidenceTier | None:
    """The tier an evaluation design supports; none when the design is not given."""
    if not design:
        return None
    return TIER_OF_DESIGN[EvaluationDesign(design)]


def may_manage(viewer: Member | None, organisation_id: int) -> bool:
    """Partners of the organisation and coordinators write and see its entries."""
    if viewer is None or not getattr(viewer, "is_member", False):
        return False
    if viewer.has_role(Role.COORDINATOR):
        return True
    return viewer.has_role(Role.PARTNER) and viewer.organisation_id == organisation_id


def may_see(viewer: Member | None, practice: Practice) -> bool:
    """Published entries are public; anything else only for those who manage it."""
    return practice.status == PracticeStatus.PUBLISHED or may_manage(
        viewer, practice.organisation_id
    )


def visible_practices(viewer: Member | None) -> Select:
    """The entries `viewer` may see: published ones, plus their own organisation's
    drafts for partners, plus every draft for coordinators."""
    statement = select(Practice)
    if viewer is not None and getattr(viewer, "is_member", False):
        if viewer.has_role(Role.COORDINATOR):
            return statement
        if viewer.has_role(Role.PARTNER) and viewer.organisation_id is not None:
            return statement.where(
                or_(
                    Practice.status == PracticeStatus.PUBLISHED,
                    Practice.organisation_id == viewer.organisation_id,
                )
            )
    return statement.where(Practice.status == PracticeStatus.PUBLISHED)


def get_practice(session: Session, viewer: Member | None, slug: str) -> Practice:
    """The entry at `slug`, or NotFound when it does not exist or `viewer` may not see it
    (the same answer in both cases)."""
    practice = session.scalar(select(Practice).where(Practice.slug == slug))
    if practice is None or not may_see(viewer, practice):
        raise NotFound("There is no library entry at this address.")
    return practice
