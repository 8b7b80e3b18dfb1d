"""Stage 4, render: page contexts, Markdown pages, charts and downloads in a docs folder."""
