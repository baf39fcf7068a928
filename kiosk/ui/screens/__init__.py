"""One module per kiosk screen; each renders a flow view and emits what was touched."""
