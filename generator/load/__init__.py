"""Stage 1, load: YAML files, site configuration and the git revision, read into located records."""
