"""Recorded history: what OpenRouter published, kept by this deployment in a real SQL database.

``store`` reads and writes it (SQLite embedded by default, PostgreSQL for shared use, Alembic
migrations); ``recorder`` turns live answers into rows; ``python -m routerlens.record`` runs
passes from a terminal, a cron job or a scheduled CI job.
"""
