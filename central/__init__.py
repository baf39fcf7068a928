"""The reference central order service: the server side of shared/design/central-api.md.

FastAPI + uvicorn over SQLAlchemy Core; SQLite by default, any SQLAlchemy URL
(PostgreSQL via psycopg 3) for real deployments. Used for development, demos, tests and
small deployments; the kiosk never imports it.
"""
