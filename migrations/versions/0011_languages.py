"""languages: the workspace language of each account, the languages of each site's reception desk

Revision ID: 0011_languages
Revises: 0010_course_text
Create Date: 2026-11-30 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_languages'
down_revision = '0010_course_text'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), server_default='fr', nullable=False))
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reception_languages', sa.String(length=200), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('reception_languages')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('language')
