"""Subcommands of the leap command line, one module each."""
