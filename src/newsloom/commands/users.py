"""`newsloom users create NAME [--staff] [--email E] [--display-name D] --password-stdin`, `users list`."""

from __future__ import annotations

import argparse
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from newsloom.accounts.actions import create_account
from newsloom.errors import AccountRefused


def run(args: argparse.Namespace) -> int:
    if args.users_command == "list":
        for user in get_user_model().objects.order_by("username"):
            flags = ",".join(f for f, on in (("staff", user.is_staff), ("inactive", not user.is_active)) if on)
            print(f"{user.username}\t{user.email}\t{flags}")
        return 0
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            print("newsloom: no password on standard input", file=sys.stderr)
            return 2
        try:
            validate_password(password)
        except ValidationError as exc:
            print("newsloom: " + " ".join(exc.messages), file=sys.stderr)
            return 2
    try:
        user = create_account(
            args.name, password=password, email=args.email or "", display_name=args.display_name or "", staff=args.staff
        )
    except AccountRefused as exc:
        print(f"newsloom: {exc}", file=sys.stderr)
        return 1
    kind = "staff account" if args.staff else "account"
    note = "" if password else " (no password yet: it signs in after a password reset)"
    print(f"created {kind} {user.get_username()}{note}")
    return 0
