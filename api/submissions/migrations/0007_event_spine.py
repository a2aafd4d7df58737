# The request log joins the event spine: kinds named domain.verb, an audience
# instead of a visibility flag, the payload named as in every log.

from django.db import migrations, models

KINDS = {
    "created": "submission.created",
    "saved": "submission.saved",
    "submitted": "submission.sent",
    "status_changed": "submission.status_changed",
    "deleted": "submission.deleted",
    "expired": "submission.expired",
    "anonymised": "submission.anonymised",
    "attachment_added": "attachment.added",
    "attachment_removed": "attachment.removed",
    "message_posted": "message.posted",
    "fields_requested": "submission.correction_requested",
    "corrected": "submission.corrected",
}


def forwards(apps, schema_editor):
    Event = apps.get_model("submissions", "Event")
    for old, new in KINDS.items():
        Event.objects.filter(kind=old).update(kind=new)
    Event.objects.filter(citizen_visible=True).update(audience="citizen")
    Event.objects.filter(kind="submission.anonymised").update(audience="agents")


def backwards(apps, schema_editor):
    Event = apps.get_model("submissions", "Event")
    Event.objects.filter(audience="citizen").update(citizen_visible=True)
    for old, new in KINDS.items():
        Event.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):

    dependencies = [
        ('submissions', '0006_event_positions'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='event',
            new_name='submissions_event_unseq',
            old_name='submissions_event_unsequenced',
        ),
        migrations.AddField(
            model_name='event',
            name='audience',
            field=models.CharField(choices=[('citizen', 'The requester and the agents'), ('agents', 'Agents only'), ('internal', 'Internal (audit trail)')], default='internal', max_length=8),
        ),
        migrations.RenameField(model_name='event', old_name='data', new_name='payload'),
        migrations.AlterField(
            model_name='event',
            name='payload',
            field=models.JSONField(blank=True, default=dict, help_text='Declared per kind: schema/events/<kind>.json.'),
        ),
        migrations.AlterField(
            model_name='event',
            name='kind',
            field=models.CharField(db_index=True, max_length=48),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name='event',
            name='citizen_visible',
        ),
    ]
