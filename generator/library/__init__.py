"""The case library: case write-ups with live figures and images, their pages and feed, and
the bundles counties use to share them (``sitegen case export / import``)."""
