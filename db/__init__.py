"""leap: the SQLite store; the only package that writes SQL."""
