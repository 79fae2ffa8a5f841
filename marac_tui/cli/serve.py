"""`serve`: the app in a web browser, through textual-serve, on this machine only unless told otherwise.

Each browser tab runs its own `marac-tui --data-dir DIR` (same Python, same store), started without
the passphrase: an encrypted store is unlocked on the app's own passphrase screen.

Loopback is shared by every account on the machine, and any web page the browser opens can try to
reach it, so the listener needs a key: a random token made at launch (`secrets`) and printed once on
stderr as the URL to open, as Jupyter does. The first request carrying it gets an HttpOnly,
SameSite=Strict cookie (and a redirect that drops the token from the address bar); every other
request without the token or the cookie gets 403, and so does any request whose Host is not the
serving address or whose Origin is another site's, which is how a websocket from another page, or a
DNS-rebinding attack, is refused. This is aiohttp middleware added to the application textual-serve
builds; textual-serve itself is used as it is.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marac_tui.cli.context import PASSPHRASE_ENV, Context
from marac_tui.errors import UserError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TEMPLATES = Path(__file__).parent / "serve_templates"
COOKIE = "marac_tui_key"
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="open the app in a web browser (textual-serve), on 127.0.0.1 by default, with a per-launch key",
        description="Serve the app over HTTP for a local browser. It binds 127.0.0.1 unless --host says "
        "otherwise, and prints the address to open, with its one-time key, on stderr.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach it, e.g. http://case-pc:8000 (default http://HOST:PORT); "
        "needed with a wildcard --host such as 0.0.0.0",
    )
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


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def exposure_warning(host: str, port: int, root: Any) -> str | None:
    """The stderr warning for a listener other machines can reach, or None on loopback."""
    if is_loopback(host):
        return None
    return (
        f"marac-tui: warning: serving on {host}:{port}, not 127.0.0.1: other machines can reach it, and the "
        f"traffic (the key, and every screen of {root}) is plain HTTP that anyone on the way can read; "
        "the key is the only login. Stop now (ctrl+c) unless this is behind TLS on a network you control."
    )


def app_command(root: Any) -> str:
    """The shell command textual-serve runs for each browser session."""
    return shlex.join([sys.executable, "-m", "marac_tui", "--data-dir", str(root)])


def serving_origin(host: str, port: int, public_url: str | None) -> str:
    """`scheme://host:port` that the browser uses, which every request's Host and Origin must match."""
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
            raise UserError(f"--public-url: give an address like http://case-pc:8000, not {public_url!r}")
        return _origin(parts.scheme, parts.hostname, parts.port)
    if _is_wildcard(host):
        raise UserError(
            f"--host {host} listens on every address, so give --public-url (the address browsers will use, "
            "e.g. http://case-pc:8000): requests for any other address are refused"
        )
    return _origin("http", host.strip("[]"), port)


def _origin(scheme: str, host: str, port: int | None) -> str:
    """An origin as a browser writes it in `Origin` (no default port; IPv6 in brackets)."""
    name = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{name}" if port in (None, default) else f"{scheme}://{name}:{port}"


class Guard:
    """The per-launch key and the origin checks: an aiohttp (new-style) middleware."""

    __middleware_version__ = 1

    def __init__(self, token: str, origin: str) -> None:
        self.token = token
        self.origin = origin
        self.hosts = {urlsplit(origin).netloc}

    def _has_key(self, request: Any) -> bool:
        cookie = request.cookies.get(COOKIE, "")
        return bool(cookie) and secrets.compare_digest(cookie.encode(), self.token.encode())

    def _refusal(self, request: Any) -> str | None:
        """Why the request is refused, or None."""
        if request.host not in self.hosts:
            return "unknown host"
        origin = request.headers.get("Origin")
        if origin is not None and origin != self.origin:
            return "request from another site"
        upgrading = request.headers.get("Upgrade", "").lower() == "websocket"
        if upgrading and origin is None:
            return "websocket without an origin"
        return None

    async def __call__(self, request: Any, handler: Any) -> Any:
        from aiohttp import web

        refusal = self._refusal(request)
        if refusal is not None:
            raise web.HTTPForbidden(text=f"403: {refusal}\n")
        given = request.query.get("token")
        if given is not None:
            if not secrets.compare_digest(given.encode(), self.token.encode()):
                raise web.HTTPForbidden(text="403: wrong key\n")
            query = {k: v for k, v in request.query.items() if k != "token"}
            location = request.rel_url.with_query(query)
            response = web.HTTPSeeOther(location=str(location))
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/",
                                secure=self.origin.startswith("https:"))  # fmt: skip
            response.headers.update(SECURITY_HEADERS)
            raise response
        if not self._has_key(request):
            raise web.HTTPForbidden(text="403: open the address marac-tui serve printed, with its key\n")
        response = await handler(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def build_server(command: str, host: str, port: int, origin: str, token: str) -> Any:
    """textual-serve's Server, with the guard in front of every route and quiet logging."""
    from aiohttp import web
    from textual_serve.server import Server

    guard = Guard(token, origin)

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard)
            return app

        def initialize_logging(self) -> None:
            # Only warnings: no access log (its lines would hold the key), no tracebacks with locals.
            logging.basicConfig(level=logging.WARNING, format="marac-tui serve: %(message)s")
            logging.getLogger("aiohttp.access").disabled = True

        async def on_startup(self, app: web.Application) -> None:
            return None  # the one line with the address is printed by serve_command

    return GuardedServer(command, host=host, port=port, title="marac-tui", public_url=origin,
                         templates_path=TEMPLATES)  # fmt: skip


def serve_command(args: argparse.Namespace, ctx: Context) -> int:
    root = ctx.root.resolve()
    origin = serving_origin(args.host, args.port, args.public_url)
    warning = exposure_warning(args.host, args.port, root)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    # The browser sessions are this process's children: they must not inherit the passphrase.
    os.environ.pop(PASSPHRASE_ENV, None)
    token = secrets.token_urlsafe(32)
    server = build_server(app_command(root), args.host, args.port, origin, token)
    print(f"marac-tui: serving on {origin} - open {origin}/?token={token} (ctrl+c stops)", file=sys.stderr, flush=True)
    try:
        server.serve()
    except OSError as exc:
        raise UserError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0

