"""Data entry without YAML pain: spreadsheet import and export, JSON Schema, new record files.

``sitegen import / export / schema / new`` (see :mod:`generator.entry.cli_entry`).
"""
