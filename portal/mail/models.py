"""The outbox: every e-mail is a row first, delivered later by ``deliver_outbox`` (a scheduled
job), so that no request waits for (or fails with) the mail server and no message is lost while
it is down."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

PENDING, SENT, FAILED, DISCARDED = "pending", "sent", "failed", "discarded"


class OutboxMessage(db.Model):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipients: Mapped[str] = mapped_column(Text)  # e-mail addresses, comma-separated
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)  # blanked once delivered when it holds a link
    holds_link: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Extra header lines as a JSON object (List-Unsubscribe of the alerts); blanked with the body.
    headers: Mapped[str | None] = mapped_column(Text)
    # pending (to deliver), sent, failed (gave up after MAX_ATTEMPTS), discarded (never sent: the
    # twin of a real message, written so that a request takes the same work either way)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
