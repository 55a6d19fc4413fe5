"""Meetings, rooms and equipment, events (issue #17). The btree_gist extension
(for the bookings' exclusion constraint) and the constraint itself only exist on
PostgreSQL: on SQLite both are skipped (`NoOverlapOnPostgres`)."""

import django.contrib.postgres.operations
import django.db.models.deletion
import guichet.agenda.models.meetings
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0003_appointments"),
        ("agents", "__first__"),
    ]

    operations = [
        django.contrib.postgres.operations.BtreeGistExtension(),
        migrations.CreateModel(
            name="Resource",
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
                        auto_now_add=True, db_index=True, verbose_name="created at"
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="updated at"),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1, editable=False, verbose_name="version"
                    ),
                ),
                ("code", models.SlugField(unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[("room", "room"), ("equipment", "equipment")],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "capacity",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="capacity"
                    ),
                ),
                (
                    "features",
                    models.JSONField(blank=True, default=list, verbose_name="features"),
                ),
                (
                    "location",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="location"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "room or equipment",
                "verbose_name_plural": "rooms and equipment",
                "ordering": ["kind", "name"],
            },
        ),
        migrations.CreateModel(
            name="Event",
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
                        auto_now_add=True, db_index=True, verbose_name="created at"
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="updated at"),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1, editable=False, verbose_name="version"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("training", "training"),
                            ("information", "information session"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "place",
                    models.CharField(blank=True, max_length=200, verbose_name="place"),
                ),
                (
                    "description",
                    models.TextField(blank=True, verbose_name="description"),
                ),
                ("start", models.DateTimeField(verbose_name="start")),
                ("end", models.DateTimeField(verbose_name="end")),
                ("capacity", models.PositiveIntegerField(verbose_name="capacity")),
                (
                    "cancelled_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="cancelled at"
                    ),
                ),
                (
                    "organiser",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="organised_events",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="organiser",
                    ),
                ),
            ],
            options={
                "verbose_name": "event",
                "verbose_name_plural": "events",
                "ordering": ["start", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("end__gt", models.F("start"))),
                        name="agenda_event_ends",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("capacity__gte", 1)),
                        name="agenda_event_capacity",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Meeting",
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
                        auto_now_add=True, db_index=True, verbose_name="created at"
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="updated at"),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1, editable=False, verbose_name="version"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "place",
                    models.CharField(blank=True, max_length=200, verbose_name="place"),
                ),
                (
                    "description",
                    models.TextField(blank=True, verbose_name="description"),
                ),
                ("start", models.DateTimeField(verbose_name="start")),
                ("end", models.DateTimeField(verbose_name="end")),
                (
                    "sequence",
                    models.PositiveIntegerField(
                        default=0, verbose_name="iCalendar sequence"
                    ),
                ),
                (
                    "cancelled_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="cancelled at"
                    ),
                ),
                (
                    "link_base",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="answer link base"
                    ),
                ),
                (
                    "organiser",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="organised_meetings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="organiser",
                    ),
                ),
            ],
            options={
                "verbose_name": "meeting",
                "verbose_name_plural": "meetings",
                "ordering": ["start", "id"],
                "indexes": [
                    models.Index(fields=["start", "end"], name="agenda_meeting_time")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("end__gt", models.F("start"))),
                        name="agenda_meeting_ends",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Participant",
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
                        auto_now_add=True, db_index=True, verbose_name="created at"
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="updated at"),
                ),
                (
                    "email",
                    models.EmailField(
                        blank=True, max_length=254, verbose_name="e-mail address"
                    ),
                ),
                (
                    "name",
                    models.CharField(blank=True, max_length=200, verbose_name="name"),
                ),
                (
                    "language",
                    models.CharField(
                        default="fr", max_length=2, verbose_name="language"
                    ),
                ),
                (
                    "answer",
                    models.CharField(
                        choices=[
                            ("needs_action", "no answer yet"),
                            ("accepted", "accepted"),
                            ("declined", "declined"),
                            ("tentative", "tentative"),
                        ],
                        default="needs_action",
                        max_length=16,
                        verbose_name="answer",
                    ),
                ),
                (
                    "answered_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="answered at"
                    ),
                ),
                (
                    "token_digest",
                    models.CharField(
                        blank=True,
                        editable=False,
                        max_length=64,
                        verbose_name="link digest",
                    ),
                ),
                (
                    "sent_sequence",
                    models.IntegerField(default=-1, verbose_name="last sequence sent"),
                ),
                (
                    "removed_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="removed at"
                    ),
                ),
                (
                    "agent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meeting_invitations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="agent",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="agenda.meeting",
                        verbose_name="meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "participant",
                "verbose_name_plural": "participants",
                "ordering": ["meeting", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("agent__isnull", False)),
                        fields=("meeting", "agent"),
                        name="agenda_participant_agent_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("agent__isnull", True)),
                        fields=("meeting", "email"),
                        name="agenda_participant_email_once",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("agent__isnull", False),
                            models.Q(("email", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="agenda_participant_someone",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("token_digest", ""), _negated=True),
                        fields=("token_digest",),
                        name="agenda_participant_token_unique",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Registration",
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
                        auto_now_add=True, db_index=True, verbose_name="created at"
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="updated at"),
                ),
                (
                    "email",
                    models.EmailField(
                        blank=True, max_length=254, verbose_name="e-mail address"
                    ),
                ),
                (
                    "name",
                    models.CharField(blank=True, max_length=200, verbose_name="name"),
                ),
                (
                    "language",
                    models.CharField(
                        default="fr", max_length=2, verbose_name="language"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("registered", "registered"),
                            ("waiting", "on the waiting list"),
                            ("cancelled", "cancelled"),
                        ],
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="position")),
                (
                    "agent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="event_registrations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="agent",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="registrations",
                        to="agenda.event",
                        verbose_name="event",
                    ),
                ),
            ],
            options={
                "verbose_name": "registration",
                "verbose_name_plural": "registrations",
                "ordering": ["event", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "position"),
                        name="agenda_registration_position",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(
                            ("agent__isnull", False),
                            models.Q(("status", "cancelled"), _negated=True),
                        ),
                        fields=("event", "agent"),
                        name="agenda_registration_agent_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(
                            ("agent__isnull", True),
                            models.Q(("status", "cancelled"), _negated=True),
                        ),
                        fields=("event", "email"),
                        name="agenda_registration_email_once",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("agent__isnull", False),
                            models.Q(("email", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="agenda_registration_someone",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Booking",
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
                        auto_now_add=True, db_index=True, verbose_name="created at"
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="updated at"),
                ),
                ("start", models.DateTimeField(verbose_name="start")),
                ("end", models.DateTimeField(verbose_name="end")),
                (
                    "cancelled_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="cancelled at"
                    ),
                ),
                (
                    "booked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="resource_bookings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="booked by",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookings",
                        to="agenda.event",
                        verbose_name="event",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookings",
                        to="agenda.meeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="agenda.resource",
                        verbose_name="room or equipment",
                    ),
                ),
            ],
            options={
                "verbose_name": "booking",
                "verbose_name_plural": "bookings",
                "ordering": ["start", "id"],
                "indexes": [
                    models.Index(
                        fields=["resource", "start", "end"], name="agenda_booking_time"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("end__gt", models.F("start"))),
                        name="agenda_booking_ends",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("meeting__isnull", True),
                            ("event__isnull", True),
                            _connector="XOR",
                        ),
                        name="agenda_booking_for_one",
                    ),
                    guichet.agenda.models.meetings.NoOverlapOnPostgres(
                        condition=models.Q(("cancelled_at__isnull", True)),
                        expressions=[
                            ("resource", "="),
                            (
                                guichet.agenda.models.meetings.TsTzRange(
                                    "start", "end"
                                ),
                                "&&",
                            ),
                        ],
                        name="agenda_booking_no_overlap",
                    ),
                ],
            },
        ),
    ]
