"""`serve`: the app in a web browser, through textual-serve, on this machine only unless told otherwise.

Each browser tab runs its own `marac-tui --data-dir DIR` (same Python, same store). There is no login:
anyone who can reach the port can open the store, hence 127.0.0.1 by default and a warning otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from typing import Any

from marac_tui.cli.context import Context
from marac_tui.errors import UserError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="open the app in a web browser (textual-serve), on 127.0.0.1 by default",
        description="Serve the app over HTTP for a local browser. It binds 127.0.0.1 unless --host says "
        "otherwise; there is no login, so anyone who can reach the port can open the store.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    serve.set_defaults(handler=serve_command)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (1-65535)")
    return port


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int, root: Any) -> str | None:
    """The stderr warning for a listener other people can reach, or None on loopback."""
    if is_loopback(host):
        return None
    return (
        f"marac-tui: warning: serving on {host}:{port}, not 127.0.0.1: anyone who can reach this machine "
        f"on that port can open the app and every submission in {root}; there is no login. "
        "Stop now (ctrl+c) unless the network is one you control."
    )


def app_command(root: Any) -> str:
    """The shell command textual-serve runs for each browser session."""
    return shlex.join([sys.executable, "-m", "marac_tui", "--data-dir", str(root)])


def serve_command(args: argparse.Namespace, ctx: Context) -> int:
    from textual_serve.server import Server

    root = ctx.root.resolve()
    warning = exposure_warning(args.host, args.port, root)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    server = Server(app_command(root), host=args.host, port=args.port, title="marac-tui")
    print(f"marac-tui: serving on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr, flush=True)
    try:
        server.serve()
    except OSError as exc:
        raise UserError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0
