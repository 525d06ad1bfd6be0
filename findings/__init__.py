"""leap: the findings domain (models, taxonomy, tagger, analysis); pure Python."""
