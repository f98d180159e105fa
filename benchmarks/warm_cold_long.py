"""The long run of tests/test_preview_warm_cold.py (the nightly CI job): more and longer
random sequences of editor saves against the running preview, each state compared with
a preview started afresh.

    .venv/bin/python benchmarks/warm_cold_long.py [--examples 25] [--steps 8]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25, help="random save sequences")
    parser.add_argument("--steps", type=int, default=8, help="saves per sequence at most")
    args = parser.parse_args(argv)
    env = {
        **os.environ,
        "PREVIEW_SAVES_EXAMPLES": str(args.examples),
        "PREVIEW_SAVES_STEPS": str(args.steps),
    }
    command = [sys.executable, "-m", "pytest", "-q", "tests/test_preview_warm_cold.py"]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
