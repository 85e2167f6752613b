"""word_index_keys: the word index (course_word) without foreign keys

The word index is derived data with one writer (portal.offer.derived.index_words), and courses
and words are never deleted by the portal. Its two foreign keys made PostgreSQL check two rows
for each of its ~25 rows a course: 64 % of the time of writing it (100,000 courses: ~20 s of an
import's 80).

Revision ID: 0016_word_index_keys
Revises: 0015_search_counts
Create Date: 2026-12-01 03:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_word_index_keys'
down_revision = '0015_search_counts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_word', schema=None) as batch_op:
        batch_op.drop_constraint('fk_course_word_course_id_course', type_='foreignkey')
        batch_op.drop_constraint('fk_course_word_word_id_search_word', type_='foreignkey')


def downgrade():
    # Rows of courses or words deleted meanwhile (by hand: the portal deletes neither) would
    # break the keys: they go first.
    op.execute("DELETE FROM course_word WHERE course_id NOT IN (SELECT id FROM course) "
               "OR word_id NOT IN (SELECT id FROM search_word)")
    with op.batch_alter_table('course_word', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_course_word_word_id_search_word', 'search_word', ['word_id'], ['id'])
        batch_op.create_foreign_key('fk_course_word_course_id_course', 'course', ['course_id'], ['id'],
                                    ondelete='CASCADE')
