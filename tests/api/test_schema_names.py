"""Every schema of the API has a name of its own.

django-ninja names an OpenAPI component after its class: two classes of one name
(a dossier's `NoteOut` and a debt's) became one component, and the description
then declared the wrong shape for one of them (found by schemathesis: a debt's
table warning "violated" the dossier note's schema).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from ninja import Schema

import guichet.api

# Base classes that carry settings only (forbid unknown fields); never a body or
# an answer themselves, so they never become a component.
BASES = {"StrictIn"}


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    for module in pkgutil.walk_packages(guichet.api.__path__, "guichet.api."):
        importlib.import_module(module.name)
    by_name: dict[str, list[str]] = defaultdict(list)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("guichet.api") and cls.__name__ not in BASES:
            by_name[cls.__name__].append(cls.__module__)
    shared = {name: modules for name, modules in by_name.items() if len(modules) > 1}
    assert not shared, f"rename one of each: {shared}"
