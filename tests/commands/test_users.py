"""`newsloom users create` and `users list`, run as the real command."""

from __future__ import annotations

from tests.commands.conftest import newsloom


def test_an_operator_creates_a_staff_account_from_a_script(cli_env: dict[str, str]) -> None:
    made = newsloom(
        cli_env,
        "users",
        "create",
        "moderator",
        "--staff",
        "--email",
        "mod@example.org",
        "--display-name",
        "The Moderator",
        "--password-stdin",
        stdin="a-long-pass-phrase\n",
    )
    assert made.stdout.strip() == "created staff account moderator"
    listed = newsloom(cli_env, "users", "list").stdout
    assert "moderator\tmod@example.org\tstaff" in listed
    again = newsloom(
        cli_env, "users", "create", "MODERATOR", "--password-stdin", stdin="another-pass-phrase\n", check=False
    )
    assert again.returncode == 1 and "already an account" in again.stderr
    weak = newsloom(cli_env, "users", "create", "reader", "--password-stdin", stdin="123\n", check=False)
    assert weak.returncode == 2 and "too short" in weak.stderr
