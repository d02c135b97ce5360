"""Administrators (finance administrator) and overseers (auditor, contract inspector):
find a PPL, the statement, corrections with a confirmation step, clearing or rejecting
pending deposits, the trial balance, the indigent list, the tamper check, the sign-ins and
who did what. Only the finance administrator changes anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from api.pages.forms import idempotent_form, new_form_key
from api.pages.render import render
from api.pages.services import web_of
from api.pages.session import form_of, page_requires
from ledger.application.statement_pdf import statement_pdf
from ledger.application.trial_balance import TrialBalance
from ledger.application.users import Principal
from ledger.domain.actor import Channel, Role
from ledger.domain.errors import InvalidInput

requires_overseer = page_requires(Role.FINANCE_ADMIN, Role.AUDITOR, Role.CONTRACT_INSPECTOR)
requires_finance_admin = page_requires(Role.FINANCE_ADMIN)


def _principal(request: Request[Any, Any, Any]) -> Principal:
    return request.scope["user"]  # type: ignore[no-any-return]


def _period(request: Request[Any, Any, Any], start: str | None,
            end: str | None) -> tuple[str, str]:
    """Default: the current month so far, in the unit's time zone."""
    ctx = web_of(request).ledger.ctx
    today = ctx.clock.now().astimezone(ctx.settings().zone()).date()
    return start or today.replace(day=1).isoformat(), end or today.isoformat()


def statement_page(request: Request[Any, Any, Any], number: str, start: str | None,
                   end: str | None, *, done: str | None = None,
                   errors: dict[str, str] | None = None) -> Template:
    web = web_of(request)
    first, last = _period(request, start, end)
    account = web.ledger.admissions.view(number)
    statement = web.ledger.statements.statement(number, first, last)
    for item in statement["movements"]:
        item["who"] = web.admin.username_of(item["actor"]["user_id"])
    return render(request, "admin/statement.html", account=account, statement=statement,
                  entries=web.admin.statement_entries(number), done=done,
                  errors=errors or {}, values={"from": first, "to": last})


def correction_form(request: Request[Any, Any, Any], values: dict[str, str],
                    errors: dict[str, str]) -> Template:
    number = request.path_params["number"]
    entry = web_of(request).admin.entry(number, request.path_params["entry_id"])
    values = {"form_key": new_form_key(), **values}
    return render(request, "admin/correction.html", number=number, entry=entry,
                  values=values, errors=errors, confirming=False)


def pending_page(request: Request[Any, Any, Any], values: dict[str, str],
                 errors: dict[str, str], done: str | None = None) -> Template:
    return render(request, "admin/pending.html", pending=web_of(request).admin.pending_deposits(),
                  values=values, errors=errors, failed=request.path_params.get("deposit_id"),
                  done=done, form_key=new_form_key())


class AdminPages(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [requires_overseer]  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def dashboard(self, request: Request[Any, Any, Any]) -> Template:
        """Where the administrators start: find a PPL, and what waits for them."""
        pending = web_of(request).admin.pending_deposits()
        return render(request, "admin/dashboard.html", pending_count=len(pending))

    @get("/ppl", sync_to_thread=True)
    def find(self, request: Request[Any, Any, Any],
             q: str = Parameter(query="q", default="", max_length=80)) -> Template | Redirect:
        """By penitentiary number or part of the name; one exact number opens its page."""
        found = web_of(request).admin.find_ppl(q)
        exact = [f for f in found if f["penitentiary_number"].casefold() == q.strip().casefold()]
        if len(exact) == 1:
            return Redirect(f"/admin/ppl/{exact[0]['penitentiary_number']}", status_code=303)
        return render(request, "admin/find.html", query=q, found=found)

    @get("/ppl/{number:str}", sync_to_thread=True)
    def statement(self, request: Request[Any, Any, Any], number: str,
                  desde: str | None = None, hasta: str | None = None,
                  hecho: str | None = None) -> Template:
        """The PPL's account and statement for a period (default: this month)."""
        return statement_page(request, number, desde, hasta, done=hecho)

    @get("/ppl/{number:str}/estado.pdf", sync_to_thread=True)
    def statement_as_pdf(self, request: Request[Any, Any, Any], number: str,
                         desde: str | None = None, hasta: str | None = None) -> Response[bytes]:
        first, last = _period(request, desde, hasta)
        statement = web_of(request).ledger.statements.statement(number, first, last)
        name = f"estado-{number}-{first}-{last}.pdf"
        return Response(statement_pdf(statement), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})

    @get("/ppl/{number:str}/correccion/{entry_id:str}", guards=[requires_finance_admin],
         sync_to_thread=True)
    def correction_page(self, request: Request[Any, Any, Any], number: str,
                        entry_id: str) -> Template:
        return correction_form(request, {}, {})

    @post("/ppl/{number:str}/correccion/{entry_id:str}", guards=[requires_finance_admin],
          sync_to_thread=True, opt={"form": correction_form})
    def correct(self, request: Request[Any, Any, Any], number: str,
                entry_id: str) -> Template | Redirect:
        """Two steps: the reason, then a confirmation showing what will be reversed."""
        form = form_of(request)
        web = web_of(request)
        reason = form.get("reason", "").strip()
        if not reason:
            raise InvalidInput("reason_required", field="reason",
                               es="Indique el motivo de la corrección.",
                               en="Give the reason for the correction.")
        if form.get("confirm") != "yes":
            entry = web.admin.entry(number, entry_id)
            return render(request, "admin/correction.html", number=number, entry=entry,
                          values=form, errors={}, confirming=True)
        principal = _principal(request)
        payload = {"original_entry_id": entry_id, "reason": reason}
        web.ledger.funds.reverse_entry(number=number, original_entry_id=entry_id,
                                       reason=reason, actor=principal.actor(Channel.WEB),
                                       request=idempotent_form(request, principal, payload))
        return Redirect(f"/admin/ppl/{number}?hecho=corrected", status_code=303)

    @get("/depositos", sync_to_thread=True)
    def pending(self, request: Request[Any, Any, Any], hecho: str | None = None) -> Template:
        """Deposits waiting for the bank (transfers, money orders, online payments)."""
        return pending_page(request, {}, {}, done=hecho)

    @post("/depositos/{number:str}/{deposit_id:str}/acreditar",
          guards=[requires_finance_admin], sync_to_thread=True, opt={"form": pending_page})
    def clear(self, request: Request[Any, Any, Any], number: str, deposit_id: str) -> Redirect:
        """The bank confirmed the money: it becomes available to the PPL."""
        principal = _principal(request)
        web_of(request).ledger.deposits.clear(
            number=number, deposit_id=deposit_id, actor=principal.actor(Channel.WEB),
            request=idempotent_form(request, principal, {"deposit_id": deposit_id}))
        return Redirect(f"/admin/depositos?hecho=cleared&ppl={number}", status_code=303)

    @post("/depositos/{number:str}/{deposit_id:str}/rechazar",
          guards=[requires_finance_admin], sync_to_thread=True, opt={"form": pending_page})
    def reject(self, request: Request[Any, Any, Any], number: str, deposit_id: str) -> Redirect:
        """The money never arrived: the pending amount goes away, with the reason."""
        principal = _principal(request)
        reason = form_of(request).get("reason", "").strip()
        if not reason:
            raise InvalidInput("reason_required", field="reason",
                               es="Indique el motivo del rechazo.",
                               en="Give the reason for the rejection.")
        web_of(request).ledger.deposits.reject(
            number=number, deposit_id=deposit_id, reason=reason,
            actor=principal.actor(Channel.WEB),
            request=idempotent_form(request, principal, {"deposit_id": deposit_id,
                                                         "reason": reason}))
        return Redirect("/admin/depositos?hecho=rejected", status_code=303)

    @get("/balance", sync_to_thread=True)
    def trial_balance(self, request: Request[Any, Any, Any],
                      al: str | None = Parameter(query="al", default=None,
                                                 max_length=40)) -> Template:
        """The unit's trial balance as of a day's end (default: now); it must be zero."""
        report = TrialBalance(web_of(request).ledger.ctx).as_of(al or None)
        return render(request, "admin/trial_balance.html", report=report,
                      as_of=datetime.fromisoformat(report["as_of"]), values={"as_of": al or ""})

    @get("/indigentes", sync_to_thread=True)
    def indigent(self, request: Request[Any, Any, Any]) -> Template:
        """PPL with almost no funds and no recent deposit: they get hygiene supplies."""
        web = web_of(request)
        report = web.ledger.read_side.indigent(web.ledger.ctx.clock.now(),
                                               web.ledger.read_side.source.head())
        for row in report["ppl"]:
            for key in ("last_deposit_at", "admitted_at"):
                if isinstance(row.get(key), str):
                    row[key] = _instant(row[key])
        return render(request, "admin/indigent.html", report=report,
                      currency=web.ledger.ctx.settings().currency)

    @get("/integridad", sync_to_thread=True)
    def integrity(self, request: Request[Any, Any, Any],
                  comprobar: str | None = None) -> Template:
        """The tamper check: the audit chain recomputed over the stored events."""
        status = web_of(request).admin.integrity(check=comprobar == "1")
        return render(request, "admin/integrity.html", chain=status)

    @get("/ingresos", sync_to_thread=True)
    def sign_ins(self, request: Request[Any, Any, Any],
                 usuario: str = Parameter(query="usuario", default="",
                                          max_length=60)) -> Template:
        """Every sign-in to the pages, failed, locked and throttled ones included."""
        rows = web_of(request).sign_ins.recent(username=usuario.strip())
        return render(request, "admin/sign_ins.html", rows=rows, username=usuario)

    @get("/actividad", sync_to_thread=True)
    def activity(self, request: Request[Any, Any, Any],
                 usuario: str = Parameter(query="usuario", default="",
                                          max_length=60)) -> Template:
        """Who did what: the newest recorded events with their actor."""
        rows = web_of(request).admin.activity(username=usuario.strip())
        return render(request, "admin/activity.html", rows=rows, username=usuario)


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None

