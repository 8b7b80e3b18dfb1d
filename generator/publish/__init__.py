"""Stage 5, publish: MkDocs builds the rendered pages aside and the site is swapped in whole."""
