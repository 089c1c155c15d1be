"""Loaded by pytest (``-p oncoregistry.testing``) before Django starts.

It selects the test environment so that settings allow an insecure local
SECRET_KEY without the caller exporting anything.
"""

import os

os.environ.setdefault("ONCOREGISTRY_ENV", "test")
