"""ExpressPoint kiosk: customer, courier and technician flows, Qt screens, app wiring, CLI."""
