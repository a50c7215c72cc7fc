"""`newsloom tokens create USER [--name N] [--app-password]` (prints the new secret alone on its last line),
`tokens revoke USER KEY` (KEY: the id or the first characters shown by `list`), `tokens list USER`."""

from __future__ import annotations

import argparse
import sys

from django.contrib.auth import get_user_model

from newsloom.accounts import actions, queries


def run(args: argparse.Namespace) -> int:
    model = get_user_model()
    user = model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": args.user}).first()
    if user is None:
        print(f"newsloom: no account named {args.user!r}", file=sys.stderr)
        return 1
    if args.tokens_command == "create":
        kind = "app_password" if args.app_password else "token"
        key, secret = actions.create_access_key(user, kind, args.name or "")
        label = "app password" if args.app_password else "personal token"
        print(f"created {label} {key.pk} ({key.prefix}…) for {user.get_username()}; it is shown only once:")
        print(secret)
        return 0
    keys = queries.access_keys(user)
    if args.tokens_command == "list":
        for key in keys:
            used = key.last_used_at.isoformat() if key.last_used_at else "never used"
            print(f"{key.pk}\t{key.kind}\t{key.prefix}…\t{key.name}\t{key.created.isoformat()}\t{used}")
        return 0
    wanted = args.key.strip()
    matches = [k for k in keys if str(k.pk) == wanted or (len(wanted) >= 6 and k.prefix.startswith(wanted))]
    if len(matches) != 1:
        print(f"newsloom: {user.get_username()} has no single key {wanted!r}", file=sys.stderr)
        return 1
    actions.revoke_access_key(user, matches[0].pk)
    print(f"revoked {matches[0].kind} {matches[0].pk} ({matches[0].prefix}…)")
    return 0
