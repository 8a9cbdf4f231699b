"""``python -m randcheck`` runs the command line."""

import sys

from randcheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
