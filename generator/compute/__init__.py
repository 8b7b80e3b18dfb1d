"""Stage 3, compute: every number the site shows, from the validated ledger (pure)."""
