"""Full-text search index over articles' title and text, in the database's own engine.

SQLite: an FTS5 external-content table ``articles_search`` plus insert/update/delete triggers on ``articles_article``.
PostgreSQL: a generated ``search_vector`` tsvector column (title weight A, text weight B) with a GIN index.
One migration for both: the operation looks at the connection's vendor. The SQL lives beside the code that queries
it (``newsloom.articles.search_sqlite`` / ``search_postgres``); changing it later needs a new migration.
"""

from django.db import migrations


def _statements(schema_editor, name):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from newsloom.articles import search_sqlite as backend
    elif vendor == "postgresql":
        from newsloom.articles import search_postgres as backend
    else:
        return []
    return getattr(backend, name)


def install(apps, schema_editor):
    for sql in _statements(schema_editor, "INSTALL"):
        schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    for sql in _statements(schema_editor, "UNINSTALL"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_wiregroup_article_clustered_at_article_signature_and_more"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
