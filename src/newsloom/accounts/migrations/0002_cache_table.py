"""The shared cache's table (rate limits and lock-outs) when the cache is the database: ``migrate`` makes it, so
every install that migrates has it. Django's ``createcachetable`` does nothing when the cache is Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
