from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_version_preview_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="deal",
            name="competitor",
            field=models.CharField(blank=True, db_index=True, max_length=120),
        ),
    ]
