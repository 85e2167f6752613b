"""Who answers the phone: the languages of a site's reception said in the visitor's language (the
visitor's own first, plainly), and the French sentence a person can show or play at the desk."""
from __future__ import annotations

from flask_babel import gettext as _

from portal.i18n import page_language
from portal.language_names import language_list, language_name

# Said at a French-speaking desk, whatever the page's language: never translated.
DESK_SENTENCE = "Bonjour, je voudrais m'inscrire à ce cours\u00a0: {title}. Pouvez-vous m'aider\u00a0?"


def visitor_language() -> str:
    """The page's language as an ISO 639-1 code (Dari's ``fa-AF`` is ``fa``)."""
    return page_language().code.split("-")[0]


def reception_sentence(languages: list[str], own: str | None = None) -> str | None:
    """"On parle arabe à l'accueil, et aussi anglais." in the page's language: the visitor's own
    language (``own``, an ISO 639-1 code; by default the page's) first when the reception speaks it,
    then the others as the operator listed them; None when the operator listed none (French goes
    without saying: listed only when listed)."""
    if not languages:
        return None
    own = own or visitor_language()
    others = [code for code in languages if code != own]
    if own not in languages:
        return _("At the reception, people speak %(languages)s.", languages=language_list(others))
    if not others:
        return _("%(language)s is spoken at the reception.", language=language_name(own))
    return _("%(language)s is spoken at the reception, and also %(languages)s.", language=language_name(own),
             languages=language_list(others))


def desk_sentence(title: str) -> str:
    """The French sentence to show or play at the desk, with the course's title."""
    return DESK_SENTENCE.format(title=title)

