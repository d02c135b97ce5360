"""Server-rendered pages in the same service: families (`/familias`), administrators and
the contract inspector (`/admin`), the contractor (`/contratista`), the public price list
(`/precios`), sign-in (`/sesion`), the language switch (`/idioma`)
and vendored assets (`/static`). They authenticate with their own cookie session
(api/pages/session.py), so the API's bearer middleware skips PAGE_PATHS. See
docs/PAGES.md."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.middleware.base import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from api.pages.admin.controller import AdminPages
from api.pages.admin.reports import AdminReportPages
from api.pages.contractor.controller import ContractorPages, PublicPriceList
from api.pages.contractor.reports import ContractorReportPages
from api.pages.families.controller import FamilyPages
from api.pages.public import PublicPages
from api.pages.refusals import REFUSAL_HANDLERS
from api.pages.render import PAGE_EXCEPTION_HANDLERS
from api.pages.session import PageSession, check_csrf

HERE = Path(__file__).parent

# Regular expressions the bearer middleware must not authenticate (searched in the path).
PAGE_PATHS = ["^/$", "^/familias(/|$)", "^/admin(/|$)", "^/contratista(/|$)", "^/precios(/|$)",
              "^/sesion(/|$)", "^/idioma(/|$)", "^/static/"]


def pages_template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine)


def pages_routers(*, secure_cookies: bool) -> list[Router]:
    """The pages, behind the cookie session, the CSRF check and HTML error pages; and the
    vendored assets (no session needed)."""
    static = create_static_files_router(path="/static", directories=[HERE / "static"],
                                        include_in_schema=False)
    pages = Router(
        path="/",
        route_handlers=[PublicPages, FamilyPages, AdminPages, ContractorPages, PublicPriceList,
                        AdminReportPages, ContractorReportPages],
        middleware=[DefineMiddleware(PageSession, secure=secure_cookies)],
        before_request=check_csrf,
        exception_handlers={**PAGE_EXCEPTION_HANDLERS, **REFUSAL_HANDLERS},
        opt={"secure_cookies": secure_cookies},
        include_in_schema=False,
    )
    return [pages, static]
