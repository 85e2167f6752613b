"""The Atom feed of a search (feedgen): one entry per course of the results, with its next start.

An entry's id is the course's address and its next entry (see ``queries.entry_key``): a feed
reader shows a course again when a new session opens, not every day."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from feedgen.feed import FeedGenerator
from flask import render_template
from flask_babel import gettext as _

from portal import labels
from portal.alerts.queries import describe, entry_key
from portal.alerts.services import search_url
from portal.offer.rules import BRUSSELS
from portal.search.queries import SearchResults
from portal.urls import public_url_for


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=BRUSSELS)


def atom_feed(results: SearchResults, language: str) -> bytes:
    """The feed of ``results`` in ``language`` (what operators wrote stays in French)."""
    filters = results.filters
    query = urlencode(filters.args)  # the search as given (its order and size too)
    words = describe(filters)
    lang = None if language == "fr" else language
    feed = FeedGenerator()
    self_url = search_url(query, language, endpoint="alerts.feed")
    feed.id(self_url)
    feed.title(_("Passerelle: %(search)s", search=" · ".join(words) if words else _("every course")))
    feed.subtitle(_("French courses for adults in Wallonia"))
    feed.link(href=search_url(query, language), rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.author({"name": "Passerelle", "uri": public_url_for("search.index", lang=lang)})
    feed.language(language)
    feed.generator("Passerelle")
    for hit in results.hits:
        course = hit.course
        url = public_url_for("search.course", ref=course.ref, lang=lang)
        entry = feed.add_entry(order="append")
        entry.id(f"{url}#{entry_key(course, hit.next_entry.start) if hit.next_entry else 'none'}")
        entry.title(f"{course.title} — {course.site.locality}")
        entry.link(href=url, rel="alternate", type="text/html")
        entry.updated(_midnight(course.confirmed_at))
        entry.category(term=course.kind, label=labels.label(labels.KINDS, course.kind))
        entry.summary(render_template("alerts/feed_entry.txt", hit=hit, today=filters.today).strip())
    feed.updated(_midnight(filters.today))  # the next starts are today's
    return feed.atom_str(pretty=True)
