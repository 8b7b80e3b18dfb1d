"""Stage 2, validate: what a single record cannot know on its own, and the privacy guard."""
