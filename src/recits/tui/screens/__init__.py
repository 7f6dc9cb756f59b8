"""Screens of the recits app."""
