"""leap: the Textual application and the command line."""
