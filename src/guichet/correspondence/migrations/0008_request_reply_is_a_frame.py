"""The reply to a request (`request_reply`) is a frame around the agent's own
answer, not a standard answer (issue #15, item 4): its letters count as having
no standard text, so they wait for a supervisor's approval."""

from typing import Any

from django.db import migrations

FRAMES = ["request_reply"]


def mark_frames(apps: Any, schema_editor: Any) -> None:
    letter_type = apps.get_model("correspondence", "LetterType")
    letter_type.objects.filter(code__in=FRAMES).update(is_standard=False)


def unmark_frames(apps: Any, schema_editor: Any) -> None:
    letter_type = apps.get_model("correspondence", "LetterType")
    letter_type.objects.filter(code__in=FRAMES).update(is_standard=True)


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0007_lettertype_standard_answers")]

    operations = [migrations.RunPython(mark_frames, unmark_frames)]
