"""The kiosk's Qt user interface: thin screens that render flow state.

Entry points for the app wiring live in `kiosk.ui.app`. Nothing in this package talks to
the board, the cache or the camera on the GUI thread.
"""
