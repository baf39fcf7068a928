"""The contract the kiosk's sync worker and the central order service both speak.

`contract.wire` holds the JSON models of every request and answer (and the states and
event types they carry); `contract.codes` the rules for pickup codes, PINs and QR
payloads that both sides hash and parse the same way. Neither side owns it: `sync` and
`central` import it, it imports neither.
"""
