"""The agenda's models, one module per part."""
