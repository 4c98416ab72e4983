import uuid

import psycopg2
import pytest


@pytest.fixture
def pg_url(postgres_dsn: str):
    """A fresh, empty PostgreSQL database for one test, as a psycopg2 SQLAlchemy URL."""
    name = f"scanlake_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(postgres_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')  # a generated identifier, not user text
    base = postgres_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg2://", 1)
    yield f"{base}/{name}"
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()
