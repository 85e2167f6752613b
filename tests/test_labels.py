"""One catalogue of labels (portal/labels.py): each table covers exactly its code list, every word
reaches the message catalogue and has its French, and no template or module keeps words of its own
for a code."""
from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from flask_babel import LazyString

from portal import labels
from portal.accounts import admin as account_admin
from portal.accounts.forms import SignupForm
from portal.accounts.models import ROLES
from portal.cadastre import coverage
from portal.guide import deduction
from portal.offer import codes, history, rules
from portal.offer.exchange import COURSE_KEYS, ENTRY_KEYS
from portal.referrals import codes as referral_codes
from portal.search.filters import SORTS
from portal.translations import TRANSLATIONS_DIR
from portal.workspace.courses.forms import CourseForm, EntryForm
from portal.workspace.forms import OperatorForm
from tests import factories as f
from tests.conftest import TODAY
from tests.people import make_people, signed_in_client

PORTAL = Path(labels.__file__).parent
TEMPLATES = PORTAL / "templates"

# Each table and the code list it gives words to (the lists stay where the rules use them).
CODE_LISTS = {
    "KINDS": codes.COURSE_KINDS, "LEVELS": codes.LEVELS, "OPERATOR_KINDS": codes.OPERATOR_KINDS,
    "SECTORS": codes.SECTORS, "PREPARES_FOR": codes.PREPARES_FOR, "AUDIENCES": codes.AUDIENCES,
    "DAYS": codes.DAYS, "PARTS_OF_DAY": codes.PARTS_OF_DAY, "REGISTRATION_MODES": codes.REGISTRATION_MODES,
    "ENTRY_MODES": codes.ENTRY_MODES, "ENTRY_STATUSES": codes.ENTRY_STATUSES,
    "COURSE_STATUSES": codes.COURSE_STATUSES, "ENTRY_STATES": rules.ENTRY_STATES,
    "ENTRIES_STATES": rules.ENTRIES_STATES, "AVAILABILITIES": rules.AVAILABILITIES,
    "FRESHNESS": rules.FRESHNESS, "SORTS": SORTS, "COURSE_FIELDS": COURSE_KEYS, "ENTRY_FIELDS": ENTRY_KEYS,
    "CHANGE_SOURCES": history.SOURCES, "CHANGE_ACTIONS": history.ACTIONS, "ROLES": ROLES,
    "ACCOUNT_EVENTS": account_admin.ACTIONS, "ACCOUNT_EVENT_SOURCES": account_admin.SOURCES,
    "GUIDE_SPEAK": deduction.SPEAK, "GUIDE_READ": deduction.READ, "GUIDE_GOALS": deduction.GOALS,
    "GUIDE_TIMES": deduction.TIMES, "GUIDE_CHILDCARE": deduction.CHILDCARE,
    "SERVICE_KINDS": referral_codes.SERVICE_KINDS, "REFERRAL_STATUSES": referral_codes.STATUSES,
    "REFERRAL_OUTCOMES": referral_codes.OUTCOMES, "COVERAGE_SHARES": coverage.SHARES,
}
# Where an explanation says nothing a learner needs.
NO_EXPLANATION = {"DAYS"}


def _tables() -> dict[str, labels.Table]:
    return {name: value for name, value in vars(labels).items() if isinstance(value, labels.Table)}


def _all_labels() -> list[tuple[str, labels.Label]]:
    return [(name, item) for name, table in _tables().items() for item in table.values()]


def _msgid(text) -> str:
    assert isinstance(text, LazyString), f"{text!r} is not lazily translated"
    return text._args[0]


def _catalogue_ids(path: Path) -> dict[str, str]:
    with open(path, "rb") as handle:
        return {message.id: message.string for message in read_po(handle) if isinstance(message.id, str)}


# -- coverage ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CODE_LISTS))
def test_each_table_covers_exactly_its_code_list_in_its_order(name):
    table = getattr(labels, name)
    missing = [code for code in CODE_LISTS[name] if code not in table]
    extra = [code for code in table if code not in CODE_LISTS[name]]
    assert (missing, extra) == ([], []), f"{name}: missing {missing}, not codes {extra}"
    assert tuple(table) == tuple(CODE_LISTS[name])
    assert all(table[code].code == code for code in table)


def test_every_table_of_the_catalogue_is_checked_against_a_code_list():
    assert sorted(_tables()) == sorted(CODE_LISTS)


def test_the_fields_whose_values_are_codes_are_course_fields():
    assert set(labels.FIELD_VALUES) <= set(COURSE_KEYS)
    assert labels.FIELD_VALUES["level_min"] is labels.LEVELS and labels.FIELD_VALUES["days"] is labels.DAYS


def test_the_rules_give_only_codes_the_catalogue_names():
    for age in (0, rules.AGEING_DAYS + 1, rules.STALE_DAYS + 1, rules.VISIBLE_DAYS + 1):
        found = rules.freshness(SimpleNamespace(confirmed_at=TODAY.fromordinal(TODAY.toordinal() - age)), TODAY)
        assert found in labels.FRESHNESS
    for status in codes.ENTRY_STATUSES:
        for deadline in (None, TODAY.replace(year=2020)):
            entry = SimpleNamespace(status=status, registration_deadline=deadline)
            assert rules.entry_state(entry, TODAY) in labels.ENTRY_STATES


# -- words: translated, in the catalogue template, in French ------------------------------------
def test_every_label_is_lazily_translated_and_reaches_the_catalogue_template_and_french():
    template = _catalogue_ids(TRANSLATIONS_DIR / "messages.pot")
    french = _catalogue_ids(TRANSLATIONS_DIR / "fr/LC_MESSAGES/messages.po")
    wanted = set()
    for name, item in _all_labels():
        texts = [item.short, item.abbreviation, item.in_sentence]
        if name not in NO_EXPLANATION:
            assert str(item.explanation).strip(), f"{name}.{item.code} has no explanation"
            texts.append(item.explanation)
        else:
            assert item.explanation == ""
        wanted |= {_msgid(text) for text in texts}
    assert sorted(wanted - set(template)) == []
    assert sorted(msgid for msgid in wanted if not french.get(msgid)) == []


def test_each_code_has_a_pictogram_name():
    drawn = set(re.findall(r'name == "([\w-]+)"', (TEMPLATES / "_macros/icons.html").read_text()))
    used = set()
    for name, item in _all_labels():
        assert re.fullmatch(r"[a-z][a-z0-9-]*", item.pictogram), f"{name}.{item.code}: {item.pictogram!r}"
        used.add(item.pictogram)
    # The names of the icons drawn today are reused where one fits (the listen button, the switcher,
    # the guided route's sign, "use my position", the sheet's phone numbers and the alert offer are no codes).
    assert drawn - {"place", "warn", "wheelchair", "speaker", "globe", "guide", "locate", "conversation",
                    "phone", "mail"} <= used


def test_labels_render_as_their_short_words_in_the_visitor_language(app):
    with app.test_request_context("/?lang=fr"):
        assert str(labels.KINDS["fle"]) == "Apprendre le français (FLE)"
        assert str(labels.KINDS["alpha_fr"].abbreviation) == "Alpha francophones"
        assert str(labels.PARTS_OF_DAY["evening"].in_sentence) == "soir"
        assert labels.label(labels.SECTORS, "care") == "Soins et aide aux personnes"
        assert labels.label(labels.SECTORS, "not-a-code") == "not-a-code"  # old data stays readable
        assert [(c.value, str(c.label)) for c in labels.choices(labels.ENTRY_MODES, only=("rolling",))] == [
            ("rolling", "Commencer n'importe quel jour (entrée permanente)")]
    with app.test_request_context("/?lang=en"):
        assert str(labels.KINDS["fle"]) == "Learn French (FLE)"


# -- built from the catalogue -------------------------------------------------------------------
@pytest.mark.parametrize(("form", "field", "table"), [
    (CourseForm, "kind", "KINDS"), (CourseForm, "level_min", "LEVELS"), (CourseForm, "level_max", "LEVELS"),
    (CourseForm, "days", "DAYS"), (CourseForm, "parts_of_day", "PARTS_OF_DAY"), (CourseForm, "sectors", "SECTORS"),
    (CourseForm, "audiences", "AUDIENCES"), (CourseForm, "prepares_for", "PREPARES_FOR"),
    (CourseForm, "registration", "REGISTRATION_MODES"), (CourseForm, "entry_mode", "ENTRY_MODES"),
    (CourseForm, "status", "COURSE_STATUSES"), (EntryForm, "status", "ENTRY_STATUSES"),
    (OperatorForm, "kind", "OPERATOR_KINDS"), (SignupForm, "kind", "OPERATOR_KINDS"),
])
def test_form_choices_come_from_the_catalogue(form, field, table):
    choices = getattr(form, field).kwargs["choices"]
    assert {choice.value for choice in choices} == set(CODE_LISTS[table])
    assert all(choice.label is getattr(labels, table)[choice.value].short for choice in choices)


def test_course_form_fields_are_named_as_the_history_names_them():
    for name in COURSE_KEYS:
        field = getattr(CourseForm, name, None)
        if field is not None and name != "entries":  # a list of rows: the page names it
            assert field.args[0] is labels.COURSE_FIELDS[name].short, name
    for name in ENTRY_KEYS:
        assert getattr(EntryForm, name).args[0] is labels.ENTRY_FIELDS[name].short


def test_the_history_view_reads_no_form():
    tree = ast.parse((PORTAL / "workspace/courses/presenters.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any("forms" in (module or "") for module in imported), imported


def test_history_says_fields_and_values_in_the_catalogue_words(app):
    from portal.workspace.courses.presenters import show

    with app.test_request_context("/?lang=fr"):
        assert show("level_min", "alpha") == "Alpha"
        assert show("registration", "shared_intake") == "Accueil commun de la région"
        assert show("audiences", ["women", "cpas"]) == "Femmes, Personnes aidées par un CPAS"
        assert show("entries", [{"start": "2027-02-01", "status": "waiting_list"}]).endswith(", liste d'attente")
        assert show("kind", "gone") == "gone"


@pytest.fixture()
def people(app_context):
    return make_people()


def test_history_page_shows_the_catalogue_words(app, people):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.offer.models import Course

    course_id = db.session.scalar(select(Course.id).where(Course.ref == "course-a"))
    history.record([(course_id, "updated", {"level_min": ["A1", "alpha"], "registration": ["direct", "shared_intake"],
                                            "parts_of_day": [["morning"], ["evening"]]})], source="file")
    db.session.commit()
    page = signed_in_client(app, people["operator A"]).get("/espace/cours/course-a/historique?lang=fr")
    text = page.get_data(as_text=True)
    for words in ("Modifié", "l'import de fichier", "Niveau le plus bas", "Alpha", "Comment s'inscrire",
                  "Accueil commun de la région", "Moment de la journée", "Soir"):
        assert words in text.replace("&#39;", "'"), words


def test_course_page_explains_the_registration_mode(app_context, client):
    f.load(f.document(f.operator("op", sites=[f.site("s", "5000", "Namur")],
                                 courses=[f.course("c", "s", registration="shared_intake")])))
    text = client.get("/cours/c?lang=fr").get_data(as_text=True).replace("&#39;", "'")
    assert "passez par le guichet d'inscription commun de la région" in text


# -- no words of their own elsewhere ------------------------------------------------------------
_CODES = {code for table in _tables().values() for code in table}
_TEXT = r"""(?:"[^"%]*"|'[^'%]*')"""
# {% if x == "code" %}<strong>{{ _("Word") }}: a code's word chosen in the template (at most one
# element may open between the test and the word; a whole section shown to some is no word).
_CHAIN = re.compile(r"\{%-?\s*(?:el)?if\b[^%]*?==\s*[\"'](?P<code>[\w-]+)[\"'][^%]*%\}\s*(?:<\w+[^>]*>)?[^{<]*"
                    r"\{\{-?\s*_\(\s*" + _TEXT + r"\s*\)\s*-?\}\}")
# {{ _("Word") if x == "code" else _("Other") }}
_TERNARY = re.compile(r"_\(\s*" + _TEXT + r"\s*\)\s+if\s+[^%}]*?==\s*[\"'](?P<code>[\w-]+)[\"']\s+else\s+_\(")


def label_chains(source: str) -> list[str]:
    """The places where a template picks a code's words itself."""
    return [match.group(0) for pattern in (_CHAIN, _TERNARY) for match in pattern.finditer(source)
            if match.group("code") in _CODES]


def test_the_chain_check_finds_the_chains_the_templates_had():
    old = [
        '{% if row.state == "open" %}{{ _("Open") }}{% elif row.state == "waiting_list" %}{{ _("Waiting list") }}'
        '{% else %}{{ _("Full") }}{% endif %}',
        '<td>{% if course.status == "published" %}{{ _("Published") }}{% elif course.status == "draft" %}'
        '{{ _("Draft") }}{% else %}{{ _("Archived") }}{% endif %}',
        '{% if row.freshness == "ageing" %}— {{ _("stale soon") }}{% endif %}',
        '{% if hit.next_entry.status == "waiting_list" %}<span class="detail">— {{ _("waiting list") }}</span>',
        '{% elif hit.entries_state == "registration_closed" %}\n    <strong>{{ _("Registrations closed") }}</strong>',
        '{% if course.registration == "shared_intake" %}<p>{{ _("Registration goes through the shared intake '
        'desk of the area.") }}</p>',
        '{{ _("Registrations closed") if hit.entries_state == "registration_closed" else _("Full") }}',
        '{% if event.source == "cli" %}{{ _("command line") }}{% else %}{{ _("workspace") }}{% endif %}',
    ]
    assert all(label_chains(source) for source in old)
    # Sentences with values, and tests on words that are no codes, are not label chains.
    assert label_chains('{% if done == "disabled" %}<p>{{ _("%(email)s is disabled.", email=email) }}</p>') == []
    assert label_chains('{% if changed == "password" %}<p>{{ _("Your new password is saved.") }}</p>') == []
    assert label_chains('{% if course.entry_mode == "rolling" %}<p>{{ rolling_period(course) }}</p>') == []
    assert label_chains('{% if user.role == "admin" %}\n<details>\n  <summary>{{ _("Cadastre") }}') == []


def test_no_template_picks_the_words_of_a_code_itself():
    found = {str(path.relative_to(TEMPLATES)): chains for path in sorted(TEMPLATES.rglob("*.html"))
             if (chains := label_chains(path.read_text()))}
    assert found == {}


_LAZY = {"_l", "lazy_gettext", "_", "gettext"}


def _is_words(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _LAZY


def _code(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def label_tables(source: str) -> list[int]:
    """Lines where a module maps two or more codes of one code list to words (a table of its own)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        pairs: list[tuple[str | None, ast.AST]] = []
        if isinstance(node, ast.Dict):
            pairs = [(_code(key), value) for key, value in zip(node.keys, node.values, strict=True) if key]
        elif isinstance(node, ast.List | ast.Tuple):
            pairs = [(_code(item.elts[0]), item.elts[1]) for item in node.elts
                     if isinstance(item, ast.Tuple) and len(item.elts) == 2]
            pairs += [(_code(item.args[0]), item.args[1]) for item in node.elts
                      if isinstance(item, ast.Call) and len(item.args) == 2]
        worded = {code for code, value in pairs if code is not None and _is_words(value)}
        if any(len(worded & set(table)) >= 2 for table in _tables().values()):
            found.append(node.lineno)
    return found


def test_the_table_check_finds_the_tables_the_modules_had():
    assert label_tables('KIND_SHORT = {"alpha_fr": _l("Alpha FR"), "alpha_nf": _l("Alpha NF")}')
    assert label_tables('s = SelectField(choices=choices([("open", _l("Open")), ("waiting_list", _l("Waiting '
                        'list")), ("full", _l("Full"))]))')
    assert label_tables('EXTRA = {"confirmed_at": _l("Last confirmed"), "ref": _l("Reference")}')
    assert label_tables('x = [SelectChoice("direct", _l("Contact")), SelectChoice("shared_intake", _l("Desk"))]')
    assert label_tables('ERRORS = (("is required", _("This is required.")), ("is longer", _("Too long.")))') == []


def test_no_module_but_the_catalogue_keeps_words_for_codes():
    found = {str(path.relative_to(PORTAL)): lines for path in sorted(PORTAL.rglob("*.py"))
             if path != PORTAL / "labels.py" and (lines := label_tables(path.read_text()))}
    assert found == {}
