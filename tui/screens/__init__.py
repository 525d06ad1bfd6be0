"""Screens of the leap app, one per module."""
