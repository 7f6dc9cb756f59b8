"""Widgets of the recits app."""
