"""The layers hold: each floor imports only the floors below it, and no two sibling
packages or modules import each other (the contracts in pyproject.toml's
[tool.importlinter]; docs/architecture.md draws them)."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # On failure the report names each offending import with its file and line.
    assert result.returncode == 0, result.stdout[result.stdout.find("Broken contracts") :]
