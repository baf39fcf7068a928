"""ExpressPoint kiosk: customer, courier and technician flows, the Qt screens, app wiring and CLI."""
