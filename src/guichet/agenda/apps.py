"""The agenda: citizens' appointments, meetings, rooms and equipment, events,
absences and presence, each agent's private iCalendar feed, and the minutes of
meetings (issue #17)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "guichet.agenda"
    verbose_name = _("Agenda")

    def ready(self) -> None:
        from guichet.agenda.absences import sources as absence_sources
        from guichet.agenda.appointments import sources as appointment_sources
        from guichet.agenda.meetings import selectors as meeting_selectors

        absence_sources.register()
        appointment_sources.register()
        meeting_selectors.register_sources()
        # Its rows follow a merge of two persons (parties/merge.py's registry).
        from .merge import register_movers

        register_movers()
