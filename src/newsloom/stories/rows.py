"""Writing many rows' fields at once, for the story passes.

Django's ``bulk_update`` builds one ``CASE WHEN pk = ... THEN ...`` expression per row and field and compiles it in
Python; during a big crawl that cost more of the main process than the clustering whose results it stored. An
``UPDATE ... WHERE pk = %s`` run with ``executemany`` sends the same values, prepared by the fields themselves
(``get_db_prep_save``: datetimes, binaries and foreign keys as the backend wants them), with almost no Python work;
SQLite runs it as one prepared statement and psycopg pipelines it on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model


def update_rows(rows: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of each of ``rows`` (instances of one model, found by primary key); returns how many were
    sent. Like ``bulk_update``: no signals, no ``save()``, rows that no longer exist are skipped."""
    if not rows:
        return 0
    model = type(rows[0])
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection)
         for field in columns] + [meta.pk.get_db_prep_save(row.pk, connection)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)
