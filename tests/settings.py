"""Test settings: a fresh data dir per run, then the real settings."""

import os
import tempfile

os.environ.setdefault("NEWSLOOM_DATA_DIR", tempfile.mkdtemp(prefix="newsloom-test-"))
# extraction in the calling thread: tests reset their tools often; the pool has its own tests, and the command-line
# tests run the default (a pool) end to end
os.environ.setdefault("NEWSLOOM_EXTRACT_PROCESSES", "0")

from newsloom.settings import *  # noqa: F403
