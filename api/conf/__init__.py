"""Guichet's settings by responsibility; api/settings.py assembles them."""
