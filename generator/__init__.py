"""Two-coverages progress site generator.

The pipeline reads top to bottom in :mod:`generator.pipeline`:
load -> validate -> compute metrics -> render pages and charts -> publish.
"""

__version__ = "0.1.0"
