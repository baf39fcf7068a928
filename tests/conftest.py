"""Shared test set-up.

Qt tests run on the offscreen platform; the variable is set before anything imports Qt.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
