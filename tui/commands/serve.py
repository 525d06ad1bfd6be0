"""``leap serve``: the app in a web browser (textual-serve), on this machine only by default."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import shlex
import socket
import sys
from typing import Any

EXPOSED_FLAG = "--i-know-this-is-exposed"
INSTALL_HINT = "pip install 'leap[serve]'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap serve``."""
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        EXPOSED_FLAG,
        dest="exposed",
        action="store_true",
        help="allow an address other machines can reach: anyone who can reach it sees the "
        "findings (personal data), with no password",
    )


def is_local(host: str) -> bool:
    """True if ``host`` can only be reached from this machine (a loopback address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def url_for(host: str, port: int) -> str:
    """The address to open in a browser: IPv6 in brackets, this machine's name for "any"."""
    bare = host.strip("[]")
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(bare).is_unspecified:  # 0.0.0.0 or ::, all interfaces
            bare = socket.gethostname()
    shown = f"[{bare}]" if ":" in bare else bare
    return f"http://{shown}:{port}"


def app_command(db_path: str) -> str:
    """The shell command textual-serve runs for each browser session: this leap, this file."""
    return shlex.join([sys.executable, "-m", "tui", "--db", db_path])


def run(args: argparse.Namespace) -> int:
    """Check the address, prepare the database, then serve until Ctrl+C."""
    from tui.cli import resolve_db

    if not 1 <= args.port <= 65535:
        print(
            f"leap: --port {args.port} is not a port; give a number from 1 to 65535",
            file=sys.stderr,
        )
        return 2
    if not is_local(args.host) and not args.exposed:
        print(
            f"leap: --host {args.host} would let anyone who can reach this machine open the "
            "findings, which are personal data about people on probation, with no password. "
            f"Keep the default (127.0.0.1), or add {EXPOSED_FLAG} if that is really meant.",
            file=sys.stderr,
        )
        return 2
    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            f"leap: leap serve needs the textual-serve package; install it with: {INSTALL_HINT}",
            file=sys.stderr,
        )
        return 2
    from db.connection import open_db

    path = resolve_db(args)
    # Create or upgrade the file here, once, so a browser session never waits on a migration
    # and a file that is not leap's is refused in the shell rather than in every tab.
    open_db(path).close()
    url = url_for(args.host, args.port)
    server = _quiet_server(Server)(
        app_command(str(path)), host=args.host, port=args.port, title="leap", public_url=url
    )
    server.announce = (
        f"leap is serving {path} at {url}\n"
        "Open that address in a browser; each tab runs its own copy of the app. "
        "Press Ctrl+C to stop."
    )
    if not is_local(args.host):
        server.announce += (
            f"\nWarning: {args.host} may be reachable from other machines, and there is no "
            "password. Stop the server when you are done."
        )
    try:
        server.serve()
    except OSError as exc:
        print(f"leap: could not listen on {url} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    print("leap serve stopped.")
    return 0


def _quiet_server(base: type[Any]) -> type[Any]:
    """textual-serve's Server, announcing leap's address once it is really listening, and
    ending every browser tab's app promptly and cleanly when it stops."""
    import asyncio
    import weakref

    from aiohttp import web
    from textual_serve import server as textual_server
    from textual_serve.app_service import AppService

    class LeapAppService(AppService):
        """One browser tab's app, known to the server until it ends, and reaped when stopped."""

        running: weakref.WeakSet[LeapAppService] = weakref.WeakSet()

        async def start(self, width: int, height: int) -> None:
            await super().start(width, height)
            self.running.add(self)

        async def stop(self) -> None:
            await super().stop()
            if self._process is not None:
                # Reap the app's process while the event loop still runs; otherwise asyncio
                # reports "Event loop is closed" tracebacks on Ctrl+C as it cleans up later.
                await self._process.wait()

    # The Server makes one AppService per browser tab by this module-level name.
    textual_server.AppService = LeapAppService  # type: ignore[misc]

    class LeapServer(base):
        announce = ""

        def serve(self, debug: bool = False) -> None:
            # textual-serve prints its banner from on_startup, before the port is bound (so even
            # when binding then fails); aiohttp calls `print` only once it listens. Its own
            # signal handling stops on Ctrl+C or SIGTERM.
            self.debug = debug
            self.initialize_logging()
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                print=lambda *_: print(self.announce, flush=True),
            )

        async def on_startup(self, app: web.Application) -> None:
            """Say nothing yet: the port is not bound."""

        async def on_shutdown(self, app: web.Application) -> None:
            """Quit every tab's app: each then closes its tab, so stopping takes no time."""
            await asyncio.gather(*(tab.stop() for tab in list(LeapAppService.running)))

    return LeapServer
