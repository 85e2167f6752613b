"""course text: each course's index words in one line, for the common words of q

Revision ID: 0010_course_text
Revises: 0009_ref_normalisation
Create Date: 2026-11-30 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from portal.offer.derived import line_of


# revision identifiers, used by Alembic.
revision = '0010_course_text'
down_revision = '0009_ref_normalisation'
branch_labels = None
depends_on = None


def upgrade():
    course_text = op.create_table('course_text',
    sa.Column('course_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('words', sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_text_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', name=op.f('pk_course_text'))
    )
    # Every course's line, as the import writes it (portal.offer.derived.words_of).
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT course.id, operator.name, site.locality, course.title, course.description FROM course "
        "JOIN operator ON operator.id = course.operator_id JOIN site ON site.id = course.site_id")).all()
    for start in range(0, len(rows), 2000):
        op.bulk_insert(course_text, [{"course_id": row[0], "words": " ".join(line_of(*row[1:]))}
                                     for row in rows[start:start + 2000]])


def downgrade():
    op.drop_table('course_text')
