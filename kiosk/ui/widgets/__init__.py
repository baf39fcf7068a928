"""Widgets shared by the kiosk screens."""
