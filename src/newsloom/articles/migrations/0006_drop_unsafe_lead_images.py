"""Lead images stored before the URL gate existed (#21) that are not http(s) URLs are dropped."""

from django.db import migrations
from django.db.models import Q


def drop_unsafe_lead_images(apps, schema_editor):  # type: ignore[no-untyped-def]
    article = apps.get_model("articles", "Article")
    safe = Q(lead_image="") | Q(lead_image__istartswith="http://") | Q(lead_image__istartswith="https://")
    article.objects.exclude(safe).update(lead_image="")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_search_cjk")]
    operations = [migrations.RunPython(drop_unsafe_lead_images, migrations.RunPython.noop)]
