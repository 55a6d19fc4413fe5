"""English as Belgian agents read it: day before month, as in Django's en_GB.

Django's `en` formats are American (12/06/2026 is 6 December there, 12 June here);
the other formats of `en` are kept.
"""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
