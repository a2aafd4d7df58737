from django.db import migrations, models

from api.accounts.models import sort_name_of


def fill_sort_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    batch = []
    for user in User.objects.only("first_name", "last_name", "email", "username").iterator(chunk_size=2000):
        user.sort_name = sort_name_of(user.first_name, user.last_name, user.email, user.username)
        batch.append(user)
        if len(batch) == 2000:
            User.objects.bulk_update(batch, ["sort_name"])
            batch = []
    User.objects.bulk_update(batch, ["sort_name"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sort_name",
            field=models.CharField(
                default="", editable=False, help_text="The name lists sort by (kept by save()).", max_length=300
            ),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
    ]
