"""The Textual app: `ReaderApp` and its screens. Import `reader.app.app` for the application class."""
