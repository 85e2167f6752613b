"""Referrals per course and their answers, counted (issue 12, item 4; coordinators' page only): the
referrals still kept (by their status) and the anonymous counts left by deleted ones (by their
outcome). Nothing of a person, a worker or a service: counts per course."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from portal.cadastre.areas import Area
from portal.extensions import db
from portal.offer.models import Course, Operator, Site
from portal.referrals.codes import SENT, STATUSES, WITHDRAWN
from portal.referrals.models import Referral, ReferralCount

# The columns of the table: where each referral stands or ended.
COLUMNS: tuple[str, ...] = (*STATUSES, WITHDRAWN)
MAX_ROWS = 300


@dataclass
class CourseReferrals:
    ref: str
    title: str
    operator: str
    counts: Counter = field(default_factory=Counter)  # COLUMNS → referrals

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def answered(self) -> int:
        return sum(self.counts[code] for code in COLUMNS if code not in (SENT, WITHDRAWN, "no_answer"))


def referrals_by_course(area: Area) -> list[CourseReferrals]:
    """The area's courses that had referrals, most referred first (at most MAX_ROWS)."""
    found: dict[int, Counter] = {}
    live = select(Referral.course_id, Referral.status, func.count()).group_by(Referral.course_id, Referral.status)
    kept = (select(ReferralCount.course_id, ReferralCount.outcome, func.sum(ReferralCount.count))
            .where(ReferralCount.course_id.is_not(None)).group_by(ReferralCount.course_id, ReferralCount.outcome))
    for statement in (live, kept):
        for course_id, code, count in db.session.execute(statement):
            found.setdefault(course_id, Counter())[code] += int(count)
    if not found:
        return []
    query = (select(Course.id, Course.ref, Course.title, Operator.name)
             .join(Site, Site.id == Course.site_id).join(Operator, Operator.id == Course.operator_id)
             .where(Course.id.in_(found)))
    if area.bassin_efe is not None:
        query = query.where(Site.bassin_efe == area.bassin_efe)
    rows = [CourseReferrals(ref, title, operator, found[course_id])
            for course_id, ref, title, operator in db.session.execute(query)]
    rows.sort(key=lambda row: (-row.total, row.ref))
    return rows[:MAX_ROWS]
