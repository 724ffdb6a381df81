"""The terminal front end: the `reader` command line and the Textual app."""
