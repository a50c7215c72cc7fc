"""The package works bare: build the wheel, install it with no extras into a fresh venv, and use it as a new user would.

`make test-wheel` (part of `make test`, so CI does it) runs this with the project venv's Python, which builds the wheel;
``--python`` (the system Python) makes the fresh venv:

1. copies the checkout's files (tracked and new, nothing ignored: no stale ``build/``) to a temporary folder and builds
   the wheel there with pip (in build isolation, as any installer would);
2. makes a fresh venv and installs the wheel alone (its declared dependencies, no extras, no test packages);
3. runs ``newsloom --help``, ``python -m newsloom --help`` and every command's and sub-command's ``--help``;
4. runs ``newsloom demo --no-serve`` on a fresh data dir (the whole pipeline on the bundled mini-web) and checks that
   articles were stored with full text and placed in stories;
5. starts ``newsloom serve`` on that data and asks it for the home page, a story page, a static file, ``/healthz``,
   ``/readyz`` and ``/metrics``.

Nothing of the newsloom environment of the caller leaks in (``NEWSLOOM_*`` variables are dropped), so the check uses
the embedded defaults: SQLite and the SQLite queue in the data dir. Exit status 0 when everything passed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def step(text: str) -> None:
    print(f"check-wheel: {text}", flush=True)


def run(cmd: list[str], *, env: dict[str, str], cwd: Path, timeout: float = 600) -> str:
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-4000:])
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"check-wheel: FAILED ({done.returncode}): {' '.join(cmd)}")
    return done.stdout + done.stderr


def copy_checkout(dest: Path) -> None:
    """The files git knows of or would add (tracked and untracked, not ignored), as the wheel's source."""
    try:
        listed = (
            subprocess.run(
                ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .split("\0")
        )
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: everything but the usual leftovers
        shutil.copytree(
            ROOT,
            dest,
            ignore=shutil.ignore_patterns(
                ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "newsloom-data", "newsloom-demo"
            ),
        )
        return
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSLOOM_", "PYTHON", "VIRTUAL_ENV", "DJANGO_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def commands(python: Path, env: dict[str, str], cwd: Path) -> list[list[str]]:
    """Every command and sub-command of the installed CLI, from its own parser."""
    probe = (
        "import argparse, json\n"
        "from newsloom.cli import build_parser\n"
        "def walk(parser, prefix):\n"
        "    out = [prefix]\n"
        "    for action in parser._actions:\n"
        "        if isinstance(action, argparse._SubParsersAction):\n"
        "            for name, sub in action.choices.items():\n"
        "                out += walk(sub, [*prefix, name])\n"
        "    return out\n"
        "print(json.dumps(walk(build_parser(), [])))\n"
    )
    found: list[list[str]] = json.loads(run([str(python), "-c", probe], env=env, cwd=cwd))
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def check_serve(bin_dir: Path, data: Path, env: dict[str, str], cwd: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (cwd / "serve.log").open("w")
    server = subprocess.Popen(
        [
            str(bin_dir / "newsloom"),
            "--data-dir",
            str(data),
            "serve",
            "--port",
            str(port),
            "--processes",
            "1",
            "--no-worker",
        ],
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, home = get(f"{base}/en/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    sys.stdout.write((cwd / "serve.log").read_text()[-4000:])
                    raise SystemExit("check-wheel: FAILED: newsloom serve did not answer") from None
                time.sleep(0.3)
        stories = re.findall(r'href="(/en/story/[0-9a-f]+)"', home)
        static = re.findall(r'(?:href|src)="(/static/[^"]+)"', home)
        checks = {"/en/": status, **{path: get(base + path)[0] for path in ("/healthz", "/readyz", "/metrics")}}
        if stories:
            checks[stories[0]] = get(base + stories[0])[0]
        if static:
            checks[static[0]] = get(base + static[0])[0]
        bad = {path: code for path, code in checks.items() if code != 200}
        if bad or not stories or not static:
            raise SystemExit(
                f"check-wheel: FAILED: pages {checks} (stories linked: {len(stories)}, "
                f"static files linked: {len(static)})"
            )
        step(f"newsloom serve answered {', '.join(checks)} with 200")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--python", default=sys.executable, help="the Python that makes the fresh venv (default: this one)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="newsloom-wheel-"))
    env = clean_env()
    try:
        src, dist, venv, data = tmp / "src", tmp / "dist", tmp / "venv", tmp / "data"
        copy_checkout(src)
        run([args.python, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(src)], env=env, cwd=tmp)
        wheel = next(dist.glob("newsloom-*.whl"))
        step(f"built {wheel.name} ({wheel.stat().st_size / 1e6:.1f} MB)")
        run([args.python, "-m", "venv", str(venv)], env=env, cwd=tmp)
        bin_dir = venv / "bin"
        run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], env=env, cwd=tmp)
        step("installed it with no extras into a fresh venv")

        cmds = commands(bin_dir / "python", env, tmp)
        for cmd in cmds:
            run([str(bin_dir / "newsloom"), *cmd, "--help"], env=env, cwd=tmp, timeout=60)
        run([str(bin_dir / "python"), "-m", "newsloom", "--help"], env=env, cwd=tmp, timeout=60)
        step(f"--help of {len(cmds)} commands: " + ", ".join(" ".join(c) or "newsloom" for c in cmds))

        out = run(
            [str(bin_dir / "newsloom"), "--data-dir", str(data), "demo", "--no-serve", "--mini-web-port", "0"],
            env=env,
            cwd=tmp,
        )
        found = re.search(
            r"(\d+) articles with full text, (\d+) with feed content only, (\d+) pending, "
            r"(\d+) stories",
            out,
        )
        if not found or int(found[1]) == 0 or int(found[3]) or int(found[4]) == 0:
            sys.stdout.write(out[-4000:])
            raise SystemExit("check-wheel: FAILED: the demo stored no articles, left some pending or made no stories")
        step(f"newsloom demo --no-serve: {found[0]}")

        check_serve(bin_dir, data, env, tmp)
        step(f"passed in {time.monotonic() - started:.0f} s")
        return 0
    finally:
        if args.keep:
            step(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
