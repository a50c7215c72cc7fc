"""PostgreSQL: the search column indexes each Chinese or Japanese character as a word of its own (see
``newsloom.articles.search_postgres``), so that a word inside unspaced text can be found. The column and its index
are rebuilt from the current definition (on a database created after this change, 0003 already made it so; rebuilding
is harmless). SQLite needs no change: its search matches such words inside the text (``search_sqlite``).
"""

from django.db import migrations


def reinstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from newsloom.articles import search_postgres

    for sql in [*search_postgres.UNINSTALL, *search_postgres.INSTALL]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_article_hashtags"),
    ]

    operations = [
        migrations.RunPython(reinstall, migrations.RunPython.noop, elidable=False),
    ]
