"""Fold the search keys of names again, now that folding transliterates letters
of other scripts (issue #12).

Until now `core.text.fold` dropped every letter that is not Latin once its
accents are stripped: a name written only in Cyrillic, Greek or Arabic kept an
empty key (no search found it, and registering one was refused), and a rare
Latin letter (Maltese "Ħ", Sami "Ŋ") left a gap in the key. Each person's and
organisation's key is folded again; only those that change are written, which the
word-index triggers of 0003 follow.

The fold is frozen here as it stands in this change: a migration runs the code of
its own time, never today's (STYLE.md §8).
"""

import re
import unicodedata

from django.db import migrations

from text_unidecode import unidecode

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
     "þ": "th", "ı": "i"}  # noqa: RUF001 - the dotless i is the point
)


def _latin(char):
    if char.isascii():
        return char
    return unidecode(char) if unicodedata.category(char)[0] in "LN" else " "


def _fold(text):
    lowered = text.casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    if not stripped.isascii():
        stripped = "".join(map(_latin, stripped)).lower()
    return _NON_ALNUM.sub(" ", stripped).strip()


def refold(apps, schema_editor):
    people = apps.get_model("parties", "Person").objects
    for pk, surname, given_names, key in people.values_list(
        "pk", "surname", "given_names", "search_name"
    ).iterator():
        folded = _fold(f"{surname} {given_names}")
        if folded != key:
            people.filter(pk=pk).update(search_name=folded)
    organisations = apps.get_model("parties", "Organisation").objects
    for pk, name, key in organisations.values_list(
        "pk", "name", "search_name"
    ).iterator():
        folded = _fold(name)
        if folded != key:
            organisations.filter(pk=pk).update(search_name=folded)


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0004_contact_points_name_their_owners"),
    ]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
