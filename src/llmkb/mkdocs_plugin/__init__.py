"""llmkb as an MkDocs plugin (entry point ``llmkb`` in ``mkdocs.plugins``): see ``plugin.py``."""
