"""Homepages stored before the URL gate existed (#21) that the gate refuses are dropped: a ``javascript:`` homepage
stays text nowhere."""

from django.db import migrations

from newsloom.core.urls import safe_http_url


def drop_unsafe_urls(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model_name, field in (("Source", "homepage"), ("Feed", "site_url")):
        model = apps.get_model("sources", model_name)
        bad = [pk for pk, url in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator()
               if safe_http_url(url) is None]
        for start in range(0, len(bad), 500):
            model.objects.filter(pk__in=bad[start : start + 500]).update(**{field: ""})


class Migration(migrations.Migration):
    dependencies = [("sources", "0002_feed_skipped_items")]
    operations = [migrations.RunPython(drop_unsafe_urls, migrations.RunPython.noop)]
