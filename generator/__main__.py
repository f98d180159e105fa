"""``python -m generator …``: on a computer where the project's dependencies are not
installed yet (an editor's Windows PC with only Python), the first run sets up the
project's own ``.venv`` and continues there (:mod:`generator.bootstrap`)."""

import sys

try:
    from generator.cli import main
except ModuleNotFoundError as missing:
    from generator.bootstrap import run_in_project_environment

    raise SystemExit(run_in_project_environment(sys.argv[1:], missing.name)) from None

raise SystemExit(main())
