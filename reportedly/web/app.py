"""The FastAPI app: server-rendered pages over a read-only store.

Every page has a JSON twin, reached with a ``.json`` suffix or
``?format=json``; both are rendered from the same dict, so they cannot
disagree. Unknown ids answer 404 and malformed parameters 400, as HTML or
JSON to match what was asked for.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from reportedly.errors import NotFound
from reportedly.web import pages
from reportedly.web.fragments import claims_table, facet_list
from reportedly.web.ledger import Ledger
from reportedly.web.readmodel import ReadPaths
from reportedly.web.security import SecurityHeaders
from reportedly.web.series import series_head

__all__ = ["DB_ENV", "BadParameter", "SafeJSONResponse", "app_from_environment", "create_app"]

HERE = Path(__file__).resolve().parent
#: The store a worker process serves (``reportedly serve --workers N`` sets it).
DB_ENV = "REPORTEDLY_WEB_DB"


class BadParameter(ValueError):
    """A query parameter the app cannot use; answered with 400."""


class SafeJSONResponse(JSONResponse):
    """JSON with ``<``, ``>`` and ``&`` escaped, so a JSON twin holding article
    text stays inert even if something renders it as HTML."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return text.encode("utf-8")


def wants_json(request: Request) -> bool:
    fmt = request.query_params.get("format")
    if fmt not in (None, "html", "json"):
        raise BadParameter(f"format must be html or json, not {fmt!r}")
    return fmt == "json" or request.url.path.endswith(".json")


def create_app(db_path: str | Path) -> FastAPI:
    """The web app over the store at ``db_path`` (opened read-only)."""
    ledger = Ledger(db_path)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True  # every template, whatever its suffix
    templates.env.auto_reload = False  # templates are package data: no stat() per page
    templates.env.globals.update(claims_table=claims_table, facet_list=facet_list)
    read = ReadPaths.open(ledger, series_head(templates.get_template("_series_head.html")))

    app = FastAPI(title="reportedly", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.ledger = ledger
    app.state.read = read

    def respond(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
        # "_html" holds what only the page shows (marked-up text, chart shapes);
        # "_json", when present, makes what only the twin shows (and the
        # page has already rendered, such as a series' chart data).
        extras = data.pop("_html", {})
        json_only = data.pop("_json", None)
        if wants_json(request):
            return SafeJSONResponse({**json_only(), **data} if json_only else data, status_code=status)
        context = {"data": data, **data, **extras}
        return templates.TemplateResponse(request, template, context, status_code=status)

    def error(request: Request, status: int, message: str) -> Response:
        data = {"error": {"status": status, "message": message}}
        try:
            as_json = wants_json(request)
        except BadParameter:
            as_json = False
        if as_json or request.url.path.startswith("/static/"):
            return SafeJSONResponse(data, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error(request, 404, str(exc))

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return error(request, 400, f"bad parameter: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail))

    def page(path: str, template: str, build: Callable[..., dict[str, Any]], in_memory: bool = False) -> None:
        """Register ``path`` and its JSON twin (registered first: ``{id}.json`` must win over ``{id}``).

        ``in_memory`` pages read only the read model (no DuckDB query, no
        I/O, a millisecond or so of CPU), so they run on the event loop: the
        hop to a worker thread and back would cost about as much as the page.
        """
        json_path = "/index.json" if path == "/" else f"{path}.json"

        def respond_to(request: Request) -> Response:
            try:
                data = build(ledger, read, request.path_params, request.query_params)
            except ValueError as exc:
                raise BadParameter(str(exc)) from exc
            return respond(request, template, data)

        async def inline(request: Request) -> Response:
            return respond_to(request)

        def threaded(request: Request) -> Response:
            return respond_to(request)

        endpoint = inline if in_memory else threaded
        # Plain Starlette routes: the endpoints take the request and parse
        # their own parameters, so FastAPI's dependency solving and response
        # validation (a few hundred microseconds a request) would buy nothing.
        app.router.add_route(json_path, endpoint, methods=["GET"], name=f"{template}-json")
        app.router.add_route(path, endpoint, methods=["GET"], name=template)

    page("/", "overview.html", pages.overview)
    page("/search", "search.html", pages.search, in_memory=True)
    page("/series", "series_list.html", pages.series_list)
    page("/series/{series_id}", "series.html", pages.series, in_memory=True)
    page("/claims/{claim_id}", "claim.html", pages.claim)
    page("/documents/{doc_id}", "document.html", pages.document)
    page("/sources", "sources.html", pages.sources)
    page("/sources/{name:path}", "source.html", pages.source)
    return app


def app_from_environment() -> FastAPI:
    """The app over the store named by ``$REPORTEDLY_WEB_DB``: the factory each server worker calls."""
    db = os.environ.get(DB_ENV)
    if not db:
        raise RuntimeError(f"{DB_ENV} is not set: start workers with `reportedly serve --workers N`")
    return create_app(db)
