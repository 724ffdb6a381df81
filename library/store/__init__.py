"""Persistence only: catalogue, body packs, annotation buckets, history, lock, atomic files.

Nothing here imports the ingest, cleaning or interchange stages, and of annotations only their model.
"""
