"""`python -m recits` runs the command line."""

from recits.cli import main

main()
