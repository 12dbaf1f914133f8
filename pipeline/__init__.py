"""Entente: alliances and arms transfers read from news."""
