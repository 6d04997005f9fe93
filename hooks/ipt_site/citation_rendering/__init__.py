"""Citation rendering: the workarounds that make mkdocs-bibtex safe, and pandoc run in batches,
cached, time-limited and stopped with the build."""
