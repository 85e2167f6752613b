"""Declarative base with a naming convention so that migrations name constraints the same
way on SQLite and PostgreSQL."""
from sqlalchemy import MetaData
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SQLiteCompilerWithIndexHints(SQLiteCompiler):
    """SQLite understands ``INDEXED BY``; SQLAlchemy's SQLite compiler drops table hints, this one
    renders them (``select(...).with_hint(Course, "INDEXED BY ix", "sqlite")``)."""

    def get_from_hint_text(self, table, text):  # noqa: ANN001 - SQLAlchemy's signature
        return text


def use_index_hints(engine: Engine) -> None:
    """Let ``with_hint(..., "sqlite")`` reach SQLite on this engine (other databases: no-op)."""
    if engine.dialect.name == "sqlite":
        engine.dialect.statement_compiler = SQLiteCompilerWithIndexHints
