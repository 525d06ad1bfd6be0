"""The ``leap`` command line (placeholder until the foundation lands)."""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``leap`` command."""
    return 0
