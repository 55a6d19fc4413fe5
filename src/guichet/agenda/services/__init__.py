"""The agenda's writes, one module per part (see `guichet.agenda.models`).

Import the part's module: `from guichet.agenda.services import appointments`.
"""
