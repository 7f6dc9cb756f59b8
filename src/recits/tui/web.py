"""The app in a browser: textual-serve starts one app process per browser tab, behind a lock."""

from __future__ import annotations

import asyncio
import shlex
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import hdrs, web
from textual_serve.server import Server, to_int

from recits.coders import logins_configured, verify_login
from recits.errors import RecitsError
from recits.models import Coder
from recits.project import Project
from recits.tui.web_access import HostRule, Sessions, Throttle, is_loopback

TEMPLATES = Path(__file__).with_name("templates")
CODER = web.RequestKey("recits_coder", str)  # the logged-in coder of a request
# The app command of the tab being opened: textual-serve reads `Server.command` in the websocket
# handler's task, and a context variable is per task.
_tab_command: ContextVar[str | None] = ContextVar("recits_tab_command", default=None)
MAX_LOGIN_FORM = 8 * 1024
PARALLEL_VERIFIES = 2  # argon2 takes 64 MiB and a core for ~0.1 s per check


class RecitsServer(Server):
    """textual-serve's server, with every request's Host and Origin checked, a login when the
    team has passwords (or the server listens on the network), one coder per tab, and a page
    that loads nothing from outside this server."""

    def __init__(self, project: Project, coder: str | None, host: str, port: int) -> None:
        super().__init__(
            "", host=host, port=port, title=f"recits — {project.settings.name}",
            templates_path=TEMPLATES,
        )  # fmt: skip
        self.project = project
        self.default_coder = coder or project.settings.coder
        self.rule = HostRule(host, port)
        self.network = not is_loopback(host)
        self.sessions = Sessions()
        self.throttle = Throttle()
        self.cookie = f"recits_session_{port}"  # cookies ignore ports: one name per server
        self._verifying: asyncio.Semaphore | None = None

    @property
    def command(self) -> str:  # type: ignore[override]
        return _tab_command.get() or shlex.join(self.app_command(self.default_coder))

    @command.setter
    def command(self, value: str) -> None:
        """Server.__init__ sets one command for every tab; ours is built per tab."""

    def app_command(self, coder: str | None) -> list[str]:
        """The app process of one tab, coding under `coder`."""
        command = [sys.executable, "-m", "recits", "app", "--project", str(self.project.root)]
        return command + [f"--coder={coder}"] if coder else command

    def logins_required(self) -> bool:
        """On the network always (serve refuses to start without passwords); on this machine
        as soon as one coder has a password, checked at each request."""
        if self.network:
            return True
        with self.project.store() as store:
            return logins_configured(store)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        app.router.add_get("/login", self.login_page, name="login")
        app.router.add_post("/login", self.login)
        app.router.add_post("/logout", self.logout)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """`recits web` says where it listens, in French; no banner."""

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Before any handler, so that a refused request starts no app process."""
        if not self.rule.host_ok(request.headers.get(hdrs.HOST)):
            return refused("adresse inattendue (en-tête Host) : requête refusée")
        if not self.rule.origin_ok(request.headers.get(hdrs.ORIGIN)):
            return refused("requête venue d'un autre site (en-tête Origin) : refusée")
        public = request.path == "/login" or request.path.startswith("/static/")
        if not public and self.logins_required():
            coder = self.sessions.coder(request.cookies.get(self.cookie))
            if coder is None:
                if request.path == "/" and request.method in ("GET", "HEAD"):
                    return redirect("/login")
                return refused("connexion requise : ouvrez la page d'accueil pour vous connecter")
            request[CODER] = coder
        response = await handler(request)
        if not response.prepared:  # a websocket has sent its headers already
            harden(response, request.host)
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page of one tab; every URL in it points at this server, by the name the
        browser used (already checked)."""
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"ws://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
            "coder": request.get(CODER),
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        _tab_command.set(shlex.join(self.app_command(request.get(CODER) or self.default_coder)))
        return await super().handle_websocket(request)

    # -- login -----------------------------------------------------------------------------------
    async def login_page(self, request: web.Request) -> web.StreamResponse:
        if not self.logins_required():
            return redirect("/")
        return self.login_form(request)

    def login_form(
        self, request: web.Request, error: str | None = None, status: int = 200
    ) -> web.StreamResponse:
        context = {"application": {"name": self.title}, "error": error, "static": "/static/"}
        return aiohttp_jinja2.render_template("login.html", request, context, status=status)

    async def login(self, request: web.Request) -> web.StreamResponse:
        if not self.logins_required():
            return redirect("/")
        address = request.remote or "?"
        if self.throttle.blocked(address):
            return self.login_form(
                request, "trop d'essais manqués : réessayez dans quelques minutes", status=429
            )
        if (request.content_length or 0) > MAX_LOGIN_FORM:
            return self.login_form(request, "formulaire trop long", status=413)
        form = await request.post()
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        if self._verifying is None:
            self._verifying = asyncio.Semaphore(PARALLEL_VERIFIES)
        async with self._verifying:
            coder = await asyncio.get_running_loop().run_in_executor(
                None, self._verify, name, password
            )
        if coder is None:
            self.throttle.failed(address)
            return self.login_form(request, "nom ou mot de passe incorrect", status=403)
        self.throttle.succeeded(address)
        response = redirect("/")
        response.set_cookie(
            self.cookie, self.sessions.open(coder.name), httponly=True, samesite="Strict",
            path="/",
        )  # fmt: skip
        return response

    def _verify(self, name: str, password: str) -> Coder | None:
        """In a worker thread (argon2 is slow on purpose), with its own connection."""
        with self.project.store() as store:
            return verify_login(store, name, password)

    async def logout(self, request: web.Request) -> web.StreamResponse:
        self.sessions.close(request.cookies.get(self.cookie))
        response = redirect("/login")
        response.del_cookie(self.cookie, path="/")
        return response


def refused(reason: str, status: int = 403) -> web.Response:
    return web.Response(status=status, text=f"recits : {reason}\n")


def redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={hdrs.LOCATION: location})


def harden(response: web.StreamResponse, host: str) -> None:
    """The page may load and connect only to this server, and never inside another site's
    frame."""
    response.headers[hdrs.CONTENT_SECURITY_POLICY] = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
        f" img-src 'self' data:; font-src 'self'; connect-src 'self' ws://{host};"
        " frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers[hdrs.X_FRAME_OPTIONS] = "DENY"
    # Not "no-referrer": Chromium would then send "Origin: null" with the login form.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers[hdrs.X_CONTENT_TYPE_OPTIONS] = "nosniff"


def serve(project: Project, coder: str | None, host: str, port: int) -> None:
    """Serve until ctrl+c; a busy port is a French error, and so is listening on the network
    while nobody can log in."""
    if not is_loopback(host):
        with project.store() as store:
            if not logins_configured(store):
                raise RecitsError(
                    f"refus d'écouter sur le réseau (--host {host}) : aucun·e codeur·euse n'a de"
                    " mot de passe, n'importe qui sur le réseau lirait le projet. Donnez-en un"
                    " (recits coders add NOM, puis recits coders password NOM) : chaque personne"
                    " devra se connecter. Ou restez sur cette machine (--host 127.0.0.1)."
                )
    try:
        RecitsServer(project, coder, host, port).serve()
    except OSError as err:
        raise RecitsError(
            f"impossible d'écouter sur {host}:{port} ({err.strerror or err}) : port déjà utilisé ?"
            " essayez --port avec un autre numéro"
        ) from err
