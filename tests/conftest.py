import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# deckgen keeps this user's build key (which authenticates build/'s memo and stamp) under
# $XDG_CACHE_HOME/deckgen: the tests use a folder of their own, never the user's.
import os  # noqa: E402
import tempfile  # noqa: E402

os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="deckgen-tests-cache-")
