"""The kiosk's local cache and the sync worker that keeps it in step with the central
order service (the HTTP client side of `contract`).

Knows the cache and the central API, never Qt, never the kiosk, never the server.
"""
