"""The agenda's models, one module per part."""

from .appointments import (
    Appointment,
    AppointmentMessage,
    AppointmentNumbering,
    Offer,
)

__all__ = ["Appointment", "AppointmentMessage", "AppointmentNumbering", "Offer"]
