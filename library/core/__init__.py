"""The core: the `Library` front class and the parts it delegates to."""
