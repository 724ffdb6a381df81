"""Interchange: the export document, its schema, and one reader/writer per annotation format."""
