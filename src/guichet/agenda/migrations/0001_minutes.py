"""Minutes and action items, moved here from correspondence (issue #17).

Correspondence 0010 renamed their tables to `agenda_minutes` and
`agenda_actionitem` and took the models out of its state; here they enter the
agenda's state over the same tables (no row copied, none lost), and their content
types move to the agenda's label, so permissions keep pointing at them. Audit rows
written before keep `correspondence.minutes` as their object type: they are
signed and never rewritten.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("minutes", "actionitem")


def _move(apps, schema_editor, source, target):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for model in MODELS:
        if content_types.filter(app_label=target, model=model).exists():
            continue  # already there (created by a later post_migrate): keep it
        content_types.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_agenda(apps, schema_editor):
    _move(apps, schema_editor, "correspondence", "agenda")


def content_types_to_correspondence(apps, schema_editor):
    _move(apps, schema_editor, "agenda", "correspondence")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agents", "0005_agent_phone_extension"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("correspondence", "0010_minutes_move_to_agenda"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Minutes",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "uuid",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                unique=True,
                                verbose_name="public identifier",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True,
                                db_index=True,
                                verbose_name="created at",
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                auto_now=True, verbose_name="updated at"
                            ),
                        ),
                        (
                            "title",
                            models.CharField(max_length=200, verbose_name="title"),
                        ),
                        ("meeting_date", models.DateField(verbose_name="meeting date")),
                        (
                            "place",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="place"
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[
                                    ("fr", "French"),
                                    ("nl", "Dutch"),
                                    ("de", "German"),
                                    ("en", "English"),
                                ],
                                max_length=2,
                                verbose_name="language",
                            ),
                        ),
                        (
                            "attendees",
                            models.JSONField(default=list, verbose_name="attendees"),
                        ),
                        (
                            "absentees",
                            models.JSONField(default=list, verbose_name="excused"),
                        ),
                        (
                            "agenda",
                            models.JSONField(
                                default=list, verbose_name="agenda points"
                            ),
                        ),
                        (
                            "decisions",
                            models.JSONField(default=list, verbose_name="decisions"),
                        ),
                        (
                            "content",
                            models.JSONField(
                                default=dict, verbose_name="content as archived"
                            ),
                        ),
                        (
                            "pdf_sha256",
                            models.CharField(
                                blank=True, max_length=64, verbose_name="PDF SHA-256"
                            ),
                        ),
                        (
                            "pdf_size",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="PDF size"
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="written by",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="agents.team",
                                verbose_name="service",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "minutes",
                        "verbose_name_plural": "minutes",
                        "ordering": ["-meeting_date", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="ActionItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "uuid",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                unique=True,
                                verbose_name="public identifier",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True,
                                db_index=True,
                                verbose_name="created at",
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                auto_now=True, verbose_name="updated at"
                            ),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, editable=False, verbose_name="version"
                            ),
                        ),
                        (
                            "description",
                            models.CharField(max_length=500, verbose_name="action"),
                        ),
                        ("due_date", models.DateField(verbose_name="due date")),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "open"), ("done", "done")],
                                default="open",
                                max_length=8,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "done_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="done at"
                            ),
                        ),
                        (
                            "done_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="done by",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="owner",
                            ),
                        ),
                        (
                            "minutes",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="actions",
                                to="agenda.minutes",
                                verbose_name="minutes",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "action item",
                        "verbose_name_plural": "action items",
                        "ordering": ["due_date", "id"],
                        "indexes": [
                            models.Index(
                                fields=["owner", "status"], name="agenda_action_owner"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_agenda, content_types_to_correspondence),
    ]
