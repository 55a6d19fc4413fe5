"""Date and number formats where Django's defaults do not suit a Belgian service."""
