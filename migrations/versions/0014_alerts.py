"""alerts: e-mail alerts of searches and what they sent; extra headers of outgoing e-mails

Revision ID: 0014_alerts
Revises: 0013_referrals
Create Date: 2026-11-30 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_alerts'
down_revision = '0013_referrals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'alert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('query', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alert')),
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index('ix_alert_email_created', ['email', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_expires_at'), ['expires_at'], unique=False)
    op.create_table(
        'alert_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alert_id', sa.Integer(), nullable=True),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('entry_key', sa.String(length=40), nullable=False),
        sa.Column('entry_start', sa.Date(), nullable=False),
        sa.Column('noted_at', sa.DateTime(), nullable=False),
        sa.Column('sent', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_alert_notice_alert_id_alert'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_alert_notice_course_id_course'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_notice')),
        sa.UniqueConstraint('alert_id', 'course_id', 'entry_key', name='uq_alert_notice_entry'),
    )
    with op.batch_alter_table('alert_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_notice_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_alert_notice_noted_at', ['noted_at'], unique=False)
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('headers')
    with op.batch_alter_table('alert_notice', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_notice_noted_at')
        batch_op.drop_index(batch_op.f('ix_alert_notice_course_id'))
    op.drop_table('alert_notice')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_expires_at'))
        batch_op.drop_index('ix_alert_email_created')
    op.drop_table('alert')
