from django.db import migrations


def load(apps, schema_editor):
    from zhengshu.trading.defaults import MUST_TENDER_THRESHOLDS

    Threshold = apps.get_model("trading", "MustTenderThreshold")
    for kind, amount, start, end, basis in MUST_TENDER_THRESHOLDS:
        Threshold.objects.get_or_create(kind=kind, effective_from=start,
                                        defaults={"amount_yuan": amount, "effective_to": end, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("trading", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
