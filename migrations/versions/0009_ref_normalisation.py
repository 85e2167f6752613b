"""refs trimmed and in lower case (look-alikes resolved), then checked; line ends as "\\n"

Revision ID: 0009_ref_normalisation
Revises: 0008_account_security
Create Date: 2026-11-28 10:00:00

The exchange format compares refs without surrounding spaces and without regard to case, and
stores them in lower case. Refs stored before may differ only by case or spaces ("DEMO-X" beside
"demo-x"): a ref already in lower case keeps it; the others take their lower-case form, or, when
it is taken, that form with "-2", "-3"… (in the order of their ids). Each change is printed. Text
stored with Windows line ends ("\\r\\n", from browsers' text areas) gets "\\n", as every input now
does. Then a CHECK keeps every ref in its normal form, so that the unique constraint on ref is a
unique constraint on the normalised ref.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_ref_normalisation'
down_revision = '0008_account_security'
branch_labels = None
depends_on = None

TABLES = ("operator", "site", "course")
TEXTS = {
    "operator": ("name", "website", "email", "phone", "description"),
    "site": ("name", "street", "locality", "transit_note"),
    "course": ("title", "level_note", "registration_note", "description"),
}
REF_LENGTH = 120
CHECK = "ref = lower(trim(ref))"


def normal(ref):
    return ref.strip().lower()


def normalise_refs(connection, name):
    table = sa.table(name, sa.column("id", sa.Integer), sa.column("ref", sa.String))
    rows = connection.execute(sa.select(table.c.id, table.c.ref).order_by(table.c.id)).all()
    taken = {ref for _id, ref in rows if ref == normal(ref)}
    for row_id, ref in rows:
        wanted = normal(ref)
        if ref == wanted:
            continue
        new, number = wanted, 2
        while new in taken:
            suffix = f"-{number}"
            new, number = wanted[:REF_LENGTH - len(suffix)] + suffix, number + 1
        taken.add(new)
        connection.execute(sa.update(table).where(table.c.id == row_id).values(ref=new))
        why = "" if new == wanted else f" ({wanted!r} is another {name}'s ref)"
        print(f"{name} {row_id}: ref {ref!r} -> {new!r}{why}")


def normalise_line_ends(connection, name):
    columns = TEXTS[name]
    table = sa.table(name, sa.column("id", sa.Integer), *(sa.column(column, sa.Text) for column in columns))
    found = connection.execute(sa.select(table).where(
        sa.or_(*(table.c[column].like("%\r%") for column in columns)))).mappings().all()
    for row in found:
        values = {column: row[column].replace("\r\n", "\n").replace("\r", "\n")
                  for column in columns if row[column] and "\r" in row[column]}
        connection.execute(sa.update(table).where(table.c.id == row["id"]).values(**values))
    if found:
        print(f"{name}: line ends of {len(found)} row(s) written as \\n")


def upgrade():
    connection = op.get_bind()
    for name in TABLES:
        normalise_refs(connection, name)
        normalise_line_ends(connection, name)
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{name}_ref_normalised"), CHECK)


def downgrade():
    # The refs and texts stay normalised: their old forms are not kept.
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{name}_ref_normalised"), type_="check")
