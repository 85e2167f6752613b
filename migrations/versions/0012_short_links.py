"""short links: a selection of courses (refs) and a language behind a random code, for six months

Revision ID: 0012_short_links
Revises: 0011_languages
Create Date: 2026-11-30 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_short_links'
down_revision = '0011_languages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'short_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('refs', sa.String(length=1500), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_short_link')),
        sa.UniqueConstraint('code', name=op.f('uq_short_link_code')),
    )
    with op.batch_alter_table('short_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_short_link_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index('ix_short_link_language_refs', ['language', 'refs'], unique=False)


def downgrade():
    with op.batch_alter_table('short_link', schema=None) as batch_op:
        batch_op.drop_index('ix_short_link_language_refs')
        batch_op.drop_index(batch_op.f('ix_short_link_expires_at'))
    op.drop_table('short_link')
