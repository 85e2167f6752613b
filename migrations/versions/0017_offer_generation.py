"""offer_generation: a number that changes with every committed change of the offer

Each worker keeps the visible offer in memory for the search and compares this number before
a search (portal.offer.generation, portal.search.memory). Triggers write it: a row trigger per
watched table on SQLite; on PostgreSQL a statement trigger marks the transaction once and the
mark's deferred trigger bumps the number at commit (no lock held during a long import).

Revision ID: 0017_offer_generation
Revises: 0016_word_index_keys
Create Date: 2026-12-01 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from portal.offer.generation import drop_statements, trigger_statements


# revision identifiers, used by Alembic.
revision = '0017_offer_generation'
down_revision = '0016_word_index_keys'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'offer_generation',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_generation')),
    )
    op.create_table(
        'offer_change_mark',
        sa.Column('txid', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('txid', name=op.f('pk_offer_change_mark')),
    )
    for statement in trigger_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('offer_change_mark')
    op.drop_table('offer_generation')
