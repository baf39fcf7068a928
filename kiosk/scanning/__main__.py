"""`python -m kiosk.scanning test --source 0`: the scanner checks without the kiosk."""

import sys

from kiosk.scanning.cli import main

sys.exit(main())
