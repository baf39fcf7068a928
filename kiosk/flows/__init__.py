"""Kiosk flows: customer pickup, courier, technician and remote commands.

Plain Python state machines. The clock, the cache and the lock bank are passed in, so
every flow is driven in tests by advancing a hand-held clock; nothing here imports Qt.
The UI renders the frozen view snapshots the flows return and translates their screen
ids; no user-facing string lives in this package.
"""
