"""`newsloom tokens create|list|revoke USER`, run as the real command."""

from __future__ import annotations

from tests.commands.conftest import newsloom


def test_an_operator_makes_and_revokes_a_readers_token(cli_env: dict[str, str]) -> None:
    newsloom(cli_env, "users", "create", "ada", "--password-stdin", stdin="a-long-pass-phrase\n")
    made = newsloom(cli_env, "tokens", "create", "ada", "--name", "my script").stdout
    secret = made.strip().splitlines()[-1]
    assert secret.startswith("nlt_") and len(secret) > 30 and " " not in secret
    app = newsloom(cli_env, "tokens", "create", "ADA", "--app-password").stdout.strip().splitlines()[-1]
    assert app.startswith("nlp_")
    listed = newsloom(cli_env, "tokens", "list", "ada").stdout
    assert "my script" in listed and secret[:12] in listed and secret not in listed  # only the digest is kept
    key_id = next(line.split("\t")[0] for line in listed.splitlines() if "\ttoken\t" in line)
    assert newsloom(cli_env, "tokens", "revoke", "ada", key_id).stdout.startswith("revoked token")
    assert secret[:12] not in newsloom(cli_env, "tokens", "list", "ada").stdout
    gone = newsloom(cli_env, "tokens", "revoke", "ada", key_id, check=False)
    assert gone.returncode == 1
    nobody = newsloom(cli_env, "tokens", "create", "nobody", check=False)
    assert nobody.returncode == 1 and "no account" in nobody.stderr
