"""Mask ID numbers, phone numbers and cued names in questions logged before masking was applied at logging."""

from django.db import migrations


def mask_logged(apps, schema_editor):
    from zhengshu.assistant.privacy import mask_personal

    QuestionLog = apps.get_model("assistant", "QuestionLog")
    changed = []
    for entry in QuestionLog.objects.only("id", "question").iterator(chunk_size=2000):
        masked = mask_personal(entry.question)[:500]
        if masked != entry.question:
            entry.question = masked
            changed.append(entry)
    QuestionLog.objects.bulk_update(changed, ["question"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]

    operations = [migrations.RunPython(mask_logged, migrations.RunPython.noop)]
