"""``python -m data.demo [--seed N] [--scale X] [--preset studio|fixture] [--database-url URL] [--if-empty]``."""

import sys

from data.demo.cli import main

sys.exit(main())
