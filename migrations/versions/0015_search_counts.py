"""search_counts: public searches counted as anonymous daily aggregates (unmet demand)

Revision ID: 0015_search_counts
Revises: 0014_alerts
Create Date: 2026-11-30 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_search_counts'
down_revision = '0014_alerts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('nis_code', sa.String(length=5), nullable=False),
        sa.Column('kinds', sa.String(length=40), nullable=False),
        sa.Column('level', sa.String(length=8), nullable=False),
        sa.Column('band', sa.String(length=4), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_count')),
        sa.UniqueConstraint('day', 'nis_code', 'kinds', 'level', 'band', name='uq_search_count_key'),
    )
    with op.batch_alter_table('search_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_count_day'), ['day'], unique=False)


def downgrade():
    with op.batch_alter_table('search_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_count_day'))
    op.drop_table('search_count')
