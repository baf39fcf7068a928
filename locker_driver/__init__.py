"""Lock-board driver: codecs, the serial bus, the bank API and the simulated board.

Knows bytes and boards, never parcels or orders.
"""
