"""Citizens' appointments: offers, slots, bookings, messages."""
