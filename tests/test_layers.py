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


#: A module a newcomer reads in one sitting; a longer one is split by what its parts do.
MAX_LINES = 400


def test_no_source_file_is_over_400_lines():
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=settings.BASE_DIR, capture_output=True, text=True
    ).stdout.split()
    long_files = {
        name: lines
        for name in tracked
        if "/migrations/" not in name
        and (lines := len(Path(settings.BASE_DIR, name).read_text().splitlines())) > MAX_LINES
    }
    assert long_files == {}
