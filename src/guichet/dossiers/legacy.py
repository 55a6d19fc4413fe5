"""Mapping the free-text dossier references of before this app to dossiers, for
the data migrations of `documents` and `correspondence` (historical models)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import parse_reference


def dossier_for(dossier_model: Any, reference: str) -> Any:
    """The dossier whose reference is `reference` (as `DOS-YYYY-NNNNNNN`), or None."""
    parsed = parse_reference(reference or "")
    if parsed is None:
        return None
    year, number = parsed
    if not 1 <= number < 2**62 or not 2000 <= year <= 9999:
        return None
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=1)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return dossier_model.objects.filter(
        pk=number, created_at__gte=start, created_at__lt=end
    ).first()
