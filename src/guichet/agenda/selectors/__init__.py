"""The agenda's reads, one module per part (see `guichet.agenda.models`).

Import the part's module: `from guichet.agenda.selectors import appointments`.
"""
