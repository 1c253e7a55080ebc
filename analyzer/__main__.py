"""`python -m analyzer` is the `transparency` command."""
import sys

from .cli import main

sys.exit(main())
