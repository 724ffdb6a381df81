"""The domain of the news reader: articles, parsing, boilerplate, the store, annotations, export.

Nothing in this package imports Textual; the command line and the app in `reader/` sit on top of it.
"""

__version__ = "0.1.0"
