"""Background exports: an XLSX of a long list, written by the worker.

A job holds what to export (the source's key and its validated filters, the
agent's language), its progress (rows written of the total counted when it was
asked for) and, when done, the file's path and SHA-256. Only the agent who asked
sees it (`access/domains/reports.py`); the file is deleted when it expires, seven
days after it was made (`tasks.export_files_prune`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.models import BaseModel


class ExportState(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being written")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class ExportJob(BaseModel):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agent"),
    )
    source = models.CharField(_("list"), max_length=40)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=ExportState.choices,
        default=ExportState.QUEUED,
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    file_path = models.CharField(_("file"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("reason of the failure"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.source} {self.format} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def working(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)
