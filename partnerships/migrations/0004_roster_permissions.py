from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0003_sample_flag'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='councilmembership',
            options={'ordering': ['council', 'role', 'organization__name', 'person_name'], 'permissions': [('import_councilmembership', 'Can import council rosters'), ('export_councilmembership', 'Can export council rosters')], 'verbose_name': 'council membership', 'verbose_name_plural': 'council memberships'},
        ),
    ]
