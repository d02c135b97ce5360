"""A visitor refused by a page's guard (another role) or by the CSRF check gets the error
page and nothing else. Without this, a refused POST to a form route would reach the
route's "show the form again" function (`opt["form"]`, render.py) and render the form —
the pending deposits, a PPL's entry — for someone who may not see it."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from api.pages.messages import language_of
from api.pages.render import error_page
from api.pages.session import PageForbidden


def on_page_forbidden(request: Request[Any, Any, Any], error: PageForbidden) -> Response[Any]:
    return error_page(request, error.status, f"error.{error.status}",
                      error.message(language_of(request)))


REFUSAL_HANDLERS: dict[Any, Any] = {PageForbidden: on_page_forbidden}
