"""referrals: services, social workers, referrals, anonymous counts

Revision ID: 0013_referrals
Revises: 0012_short_links
Create Date: 2026-11-30 14:27:28.690235

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_referrals'
down_revision = '0012_short_links'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('postal_code', sa.String(length=4), nullable=False),
    sa.Column('locality', sa.String(length=120), nullable=False),
    sa.Column('bassin_efe', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('ref', name=op.f('uq_service_ref'))
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_bassin_efe'), ['bassin_efe'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('languages', sa.String(length=100), nullable=False),
    sa.Column('other_languages', sa.String(length=100), nullable=True),
    sa.Column('level_note', sa.Text(), nullable=True),
    sa.Column('constraints_note', sa.Text(), nullable=True),
    sa.Column('consent_language', sa.String(length=5), nullable=False),
    sa.Column('notice_version', sa.Integer(), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('entry_start', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('first_answer_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('last_event_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_referral_answered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_referral_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_referral_operator_id_operator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_referral_service_id_service'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['user_account.id'], name=op.f('fk_referral_worker_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_last_event_at'), ['last_event_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_operator_id'), ['operator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_service_id'), ['service_id'], unique=False)
        batch_op.create_index('ix_referral_status_sent_at', ['status', 'sent_at'], unique=False)

    op.create_table('referral_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('answer_working_days', sa.Integer(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_referral_count_course_id_course'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_count'))
    )
    with op.batch_alter_table('referral_count', schema=None) as batch_op:
        batch_op.create_index('ix_referral_count_key', ['course_id', 'month', 'outcome'], unique=False)

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.alter_column('operator_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_invitation_service_id_service'), 'service', ['service_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('signup_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account', sa.String(length=20), server_default='operator', nullable=False))
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_signup_request_service_id_service'), 'service', ['service_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_service_id'), ['service_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_account_service_id_service'), 'service', ['service_id'], ['id'])



def downgrade():
    # What only this revision knows of: service invitations, social workers' requests and accounts.
    op.execute("DELETE FROM referral")
    op.execute("DELETE FROM invitation WHERE operator_id IS NULL")
    op.execute("DELETE FROM signup_request WHERE account = 'social_worker'")
    op.execute("DELETE FROM user_account WHERE role = 'social_worker'")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_account_service_id_service'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_account_service_id'))
        batch_op.drop_column('service_id')

    with op.batch_alter_table('signup_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_signup_request_service_id_service'), type_='foreignkey')
        batch_op.drop_column('service_id')
        batch_op.drop_column('account')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitation_service_id_service'), type_='foreignkey')
        batch_op.alter_column('operator_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('service_id')

    with op.batch_alter_table('referral_count', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_count_key')

    op.drop_table('referral_count')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_status_sent_at')
        batch_op.drop_index(batch_op.f('ix_referral_service_id'))
        batch_op.drop_index(batch_op.f('ix_referral_operator_id'))
        batch_op.drop_index(batch_op.f('ix_referral_last_event_at'))
        batch_op.drop_index(batch_op.f('ix_referral_course_id'))

    op.drop_table('referral')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_bassin_efe'))

    op.drop_table('service')
