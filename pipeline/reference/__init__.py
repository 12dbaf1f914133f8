"""Curated reference data: actors, aliases, leaders."""
