"""Packaged data of the findings domain (the theme taxonomy, tagger rules)."""
