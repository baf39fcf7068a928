"""Local cache, the central order service API (client and reference server) and the sync worker.

Knows the cache and the central API, never Qt.
"""
