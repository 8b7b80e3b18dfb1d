"""``python -m generator`` is the same as the ``sitegen`` command."""

from generator.cli.main import main

if __name__ == "__main__":
    main()
