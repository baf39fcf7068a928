import sys

from locker_driver.sim.main import main

sys.exit(main())
