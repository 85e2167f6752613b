"""The import page's form, and what each column of the spreadsheet holds (its help)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

# What each column holds, for the import page: (column, meaning, example).
COLUMN_HELP = (
    ("ref", _l("The course's identifier. Keep it to update the course; leave it empty for a new course."),
     "op-fle-a1-matin"),
    ("site", _l("The identifier of one of your places (see the list below)."), "op-centre"),
    ("site_address", _l("The address of the place, for reading only: ignored on import."), ""),
    ("reception_languages", _l("The languages spoken at the reception of the place: two-letter codes separated by "
                               "spaces (fa for Dari). Every row of a place gives the same ones; empty: none."),
     "fr ar en"),
    ("title", _l("Title of the course."), "Français oral débutant"),
    ("kind", _l("alpha_fr, alpha_nf, fle or ran."), "fle"),
    ("level_min, level_max", _l("Lowest and highest level: alpha, A1, A2, B1, B2, C1."), "A1"),
    ("level_note", _l("The level in your words (optional)."), "oral 3 minimum"),
    ("registration", _l("direct, or shared_intake (shared intake desk of the area)."), "direct"),
    ("registration_note", _l("Where and how to register (optional)."), "Appeler le lundi matin"),
    ("job_oriented", _l("Towards a job: yes or no."), "no"),
    ("sectors", _l("Job sectors, separated by commas."), "care, cleaning"),
    ("prepares_for", _l("What the course prepares for, separated by commas."), "citizenship"),
    ("description", _l("Description (optional)."), ""),
    ("days", _l("Days, separated by commas: mon, tue, wed, thu, fri, sat, sun."), "mon, thu"),
    ("parts_of_day", _l("morning, afternoon, evening, separated by commas."), "morning"),
    ("hours_per_week", _l("Hours a week (optional)."), "9"),
    ("cost_eur", _l("Cost in euros; 0 or empty when free."), "0"),
    ("childcare", _l("Childcare: yes or no."), "yes"),
    ("audiences", _l("For whom, separated by commas (all, job_seekers, cpas, newcomers, women, young_adults, "
                     "workers)."), "all"),
    ("requires_job_seeker_registration, requires_valid_residence_permit, entry_test",
     _l("Forem registration needed, residence permit needed, entry test: yes or no."), "no"),
    ("entry_mode", _l("fixed (start dates) or rolling (start any day)."), "fixed"),
    ("entries", _l("Fixed start dates, separated by “;”: START or START..END, then optionally deadline=DATE and "
                   "waiting_list or full."), "2027-01-11..2027-06-30; 01/02/2027 deadline=25/01/2027 full"),
    ("active_from, active_until", _l("Rolling entry: first and last day (either may be empty)."), "2027-01-04"),
    ("confirmed_at", _l("Day the course was last confirmed; empty: today when the course changes."), "2026-11-02"),
    ("status", _l("published, draft or archived; empty: published."), "published"),
    ("version", _l("Written by the export: the version of the course the file was made from. Keep it: an import "
                   "that would undo changes made since is refused. Empty for a new course."), "3"),
)


class ImportForm(FlaskForm):
    file = FileField(_l("File to import"), validators=[FileRequired(message=_l("Choose a file to import."))])
    check_only = BooleanField(_l("Only check the file: save nothing"))
    overwrite = BooleanField(_l("Overwrite the newer changes: import the file even where courses were changed "
                                "after it was made"))
