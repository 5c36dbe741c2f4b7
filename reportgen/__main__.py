"""Allow ``python -m reportgen``."""

from reportgen.entry import main

main()
