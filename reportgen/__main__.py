"""Allow ``python -m reportgen``."""

from reportgen.cli.entry import main

main()
