"""The ``sitegen`` command line: build, validate, serve, hooks and their output formats."""
