"""Seed the code tables from GB/T 39046—2020 Annex A (see zhengshu/govservices/codes.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from zhengshu.govservices.codes import seed_rows

    CodeValue = apps.get_model("govservices", "CodeValue")
    existing = set(CodeValue.objects.values_list("table", "code"))
    CodeValue.objects.bulk_create([
        CodeValue(table=table, code=code, name=name, aliases=aliases, sort=sort)
        for table, code, name, aliases, sort in seed_rows() if (table, code) not in existing
    ])


class Migration(migrations.Migration):
    dependencies = [("govservices", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
