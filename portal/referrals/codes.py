"""The code lists of referrals (their words are in ``portal.labels``)."""
from __future__ import annotations

# The kinds of services whose social workers orient people.
SERVICE_KINDS: tuple[str, ...] = ("cpas", "forem", "cri", "mire", "association", "other")

# Where a referral stands: sent (no answer yet), the operator's four answers, closed without answer.
SENT = "sent"
ANSWERS: tuple[str, ...] = ("will_call", "accepted", "waiting_list", "not_suitable")
NO_ANSWER = "no_answer"
STATUSES: tuple[str, ...] = (SENT, *ANSWERS, NO_ANSWER)
# What an anonymous count remembers: the status when the referral was deleted ("withdrawn": the
# worker deleted it, at the person's request, before any answer).
WITHDRAWN = "withdrawn"
OUTCOMES: tuple[str, ...] = (*ANSWERS, NO_ANSWER, WITHDRAWN)

# Working days (Monday to Friday minus Belgian public holidays) the operator has to answer before
# one reminder; calendar days before an unanswered referral is closed; days after its last event
# before a referral (and the person's data) is deleted.
REMIND_AFTER_WORKING_DAYS = 5
CLOSE_AFTER_DAYS = 30
DELETE_AFTER_DAYS = 90
# The version of the consent notice's words (a new version when what it says changes).
NOTICE_VERSION = 1
