"""The command-line fixtures: tests here also run real `newsloom` processes."""

from tests.commands.conftest import cli_env  # noqa: F401
