"""The pages' message catalogue: every text a page shows, in Spanish (the default) and
English. Templates never hold a sentence of their own; they call `t("key", **values)`.
Domain errors bring their own two texts (`LedgerError.messages`)."""

from __future__ import annotations

from typing import Any

from litestar import Request

LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"

M: dict[str, tuple[str, str]] = {
    # frame
    "app.name": ("Fondos de PPL · Unidad N°1", "PPL funds · Unit No. 1"),
    "app.footer": ("Ledger de fondos de personas privadas de libertad. Los movimientos no se "
                   "borran: se corrigen con un nuevo asiento.",
                   "Ledger of the funds of people held in the unit. Nothing is deleted: "
                   "mistakes are corrected by a new entry."),
    "nav.skip": ("Saltar al contenido", "Skip to content"),
    "nav.label": ("Secciones", "Sections"),
    "nav.sign_in": ("Ingresar", "Sign in"),
    "nav.sign_out": ("Salir", "Sign out"),
    "nav.my_deposits": ("Mis depósitos", "My deposits"),
    "nav.deposit": ("Depositar", "Deposit"),
    "nav.admin_home": ("Inicio", "Home"),
    "nav.pending": ("Depósitos pendientes", "Pending deposits"),
    "nav.trial_balance": ("Balance de comprobación", "Trial balance"),
    "nav.indigent": ("Lista de indigentes", "Indigent list"),
    "nav.integrity": ("Control de integridad", "Tamper check"),
    "nav.sign_ins": ("Ingresos al sistema", "Sign-ins"),
    "nav.activity": ("Quién hizo qué", "Who did what"),
    "yes": ("Sí", "Yes"),
    "no": ("No", "No"),
    # home and sign-in
    "home.title": ("Fondos de personas privadas de libertad",
                   "Funds of people held in the unit"),
    "home.families": ("Familias y amistades", "Families and friends"),
    "home.families_text": ("Regístrese una vez y deposite dinero a una PPL por transferencia, "
                           "giro o pago en línea. Reciba su comprobante.",
                           "Register once and deposit money to a PPL by bank transfer, money "
                           "order or online payment. Get your receipt."),
    "home.register": ("Registrarme", "Register"),
    "home.families_sign_in": ("Ya estoy registrado: ingresar", "Already registered: sign in"),
    "home.staff": ("Personal de la unidad", "Unit staff"),
    "home.staff_text": ("Administración, auditoría e inspección del contrato.",
                        "Administration, audit and contract inspection."),
    "home.signed_in_as": ("Ingresó como {name}.", "Signed in as {name}."),
    "home.go_on": ("Continuar", "Continue"),
    "home.no_pages_for_role": ("Su rol no tiene páginas aquí; use su terminal o la API.",
                               "Your role has no pages here; use your terminal or the API."),
    "sign_in.title": ("Ingresar", "Sign in"),
    "sign_in.submit": ("Ingresar", "Sign in"),
    "sign_in.no_account": ("¿Familiar sin cuenta?", "Family member without an account?"),
    # fields and hints
    "field.username": ("Usuario", "Username"),
    "field.password": ("Contraseña", "Password"),
    "field.password2": ("Repita la contraseña", "Repeat the password"),
    "field.name": ("Nombre y apellido", "Full name"),
    "field.document": ("Documento de identidad", "Identity document"),
    "field.relation": ("Parentesco o vínculo", "Relationship"),
    "field.contact": ("Teléfono o correo", "Phone or e-mail"),
    "field.penitentiary_number": ("Número penitenciario", "Penitentiary number"),
    "field.surname": ("Apellido de la PPL", "The PPL's surname"),
    "field.amount": ("Importe", "Amount"),
    "field.channel": ("Forma de pago", "Payment channel"),
    "field.external_reference": ("Referencia del pago", "Payment reference"),
    "field.reason": ("Motivo", "Reason"),
    "field.from": ("Desde", "From"),
    "field.to": ("Hasta", "To"),
    "field.as_of": ("Al cierre del día", "At the end of day"),
    "hint.document": ("Cédula o pasaporte, tal como figura en el documento.",
                      "ID card or passport, as it appears on the document."),
    "hint.contact": ("Opcional. Para avisarle si un depósito es rechazado.",
                     "Optional. To tell you if a deposit is rejected."),
    "hint.username": ("De 3 a 60 caracteres. Lo usará para ingresar.",
                      "3 to 60 characters. You will sign in with it."),
    "hint.password": ("Al menos 10 caracteres.", "At least 10 characters."),
    "hint.penitentiary_number": ("Por ejemplo P-1001.", "For example P-1001."),
    "hint.surname": ("Solo el apellido, para confirmar a quién deposita.",
                     "The surname only, to confirm whom you deposit to."),
    "hint.amount": ("En cifras, por ejemplo 1500 o 1.500,50.",
                    "In figures, for example 1500 or 1,500.50."),
    "hint.external_reference": ("Opcional: el número de la transferencia o del giro.",
                                "Optional: the number of the transfer or money order."),
    "hint.reason": ("Quedará registrado junto con su usuario.",
                    "It is recorded together with your username."),
    # families
    "register.title": ("Registro de depositante", "Depositor registration"),
    "register.intro": ("Sus datos personales se guardan cifrados y solo los ve la "
                       "administración de la unidad.",
                       "Your personal data is stored encrypted and only the unit's "
                       "administration sees it."),
    "register.about_you": ("Sus datos", "About you"),
    "register.your_access": ("Su acceso", "Your access"),
    "register.choose": ("Elija…", "Choose…"),
    "register.submit": ("Registrarme", "Register"),
    "deposit.title": ("Nuevo depósito", "New deposit"),
    "deposit.intro": ("El dinero queda pendiente hasta que la unidad confirme que llegó; "
                      "luego la PPL puede usarlo.",
                      "The money stays pending until the unit confirms it arrived; then "
                      "the PPL can use it."),
    "deposit.who": ("¿A quién deposita?", "Whom do you deposit to?"),
    "deposit.submit": ("Depositar", "Deposit"),
    "deposits.title": ("Mis depósitos", "My deposits"),
    "deposits.hello": ("Hola, {name}.", "Hello, {name}."),
    "deposits.caption": ("Sus depósitos, del más reciente al más antiguo",
                         "Your deposits, newest first"),
    "deposits.see_receipt": ("Ver comprobante", "See receipt"),
    "deposits.none": ("Todavía no hizo depósitos.", "You have made no deposits yet."),
    "deposits.no_balance": ("Por la privacidad de la PPL, aquí no se muestran saldos ni "
                            "compras.",
                            "For the PPL's privacy, no balance or purchase is shown here."),
    "receipt.title": ("Comprobante de depósito", "Deposit receipt"),
    "receipt.reference": ("Referencia", "Reference"),
    "receipt.date": ("Fecha", "Date"),
    "receipt.depositor": ("Depositante", "Depositor"),
    "receipt.state": ("Estado", "State"),
    "receipt.pdf": ("Descargar PDF", "Download PDF"),
    "receipt.note": ("Conserve la referencia. Un depósito pendiente se acredita cuando la "
                     "unidad confirma el pago; si no llega, se rechaza.",
                     "Keep the reference. A pending deposit is credited when the unit "
                     "confirms the payment; if it never arrives, it is rejected."),
    "relation.madre": ("Madre", "Mother"),
    "relation.padre": ("Padre", "Father"),
    "relation.pareja": ("Pareja", "Partner"),
    "relation.hija": ("Hija", "Daughter"),
    "relation.hijo": ("Hijo", "Son"),
    "relation.hermana": ("Hermana", "Sister"),
    "relation.hermano": ("Hermano", "Brother"),
    "relation.abuela": ("Abuela", "Grandmother"),
    "relation.abuelo": ("Abuelo", "Grandfather"),
    "relation.amiga": ("Amiga", "Friend (f)"),
    "relation.amigo": ("Amigo", "Friend (m)"),
    "relation.otro": ("Otro vínculo", "Other"),
    "channel.bank_transfer": ("Transferencia bancaria", "Bank transfer"),
    "channel.money_order": ("Giro", "Money order"),
    "channel.online": ("Pago en línea", "Online payment"),
    "channel.cash_desk": ("Efectivo en ventanilla", "Cash at the desk"),
    "state.pending": ("Pendiente", "Pending"),
    "state.cleared": ("Acreditado", "Cleared"),
    "state.rejected": ("Rechazado", "Rejected"),
    "state.reversed": ("Anulado", "Reversed"),
    # outcomes shown after a redirect
    "done.registered": ("Registro completo. Ya puede depositar.",
                        "Registration complete. You can deposit now."),
    "done.deposited": ("Depósito registrado.", "Deposit recorded."),
    "done.cleared": ("Depósito acreditado.", "Deposit cleared."),
    "done.rejected": ("Depósito rechazado.", "Deposit rejected."),
    "done.corrected": ("Corrección registrada.", "Correction recorded."),
    # administrators
    "admin.title": ("Administración", "Administration"),
    "admin.find_label": ("Buscar PPL por número o nombre", "Find a PPL by number or name"),
    "admin.find": ("Buscar", "Find"),
    "admin.filter": ("Filtrar", "Filter"),
    "admin.pending_text": ("Depósitos que esperan la confirmación del banco.",
                           "Deposits waiting for the bank's confirmation."),
    "admin.trial_balance_text": ("Debe ser cero: el banco y la caja contra lo que se debe a "
                                 "cada PPL.",
                                 "Must be zero: the bank and the safe against what is owed "
                                 "to each PPL."),
    "admin.indigent_text": ("PPL sin fondos y sin depósitos recientes (III.D.16).",
                            "PPL with no funds and no recent deposit (III.D.16)."),
    "admin.integrity_text": ("Prueba de que la historia no fue alterada.",
                             "Proof that the history was not altered."),
    "admin.audit_text": ("Ingresos al sistema y movimientos con su autor.",
                         "Sign-ins, and every movement with who made it."),
    "find.title": ("Buscar PPL", "Find a PPL"),
    "find.results": ("{n} resultado(s)", "{n} result(s)"),
    "find.none": ("No se encontró ninguna PPL.", "No PPL found."),
    "ppl.sector": ("Sector", "Sector"),
    "ppl.regime": ("Régimen", "Regime"),
    "ppl.status": ("Situación", "Status"),
    "status.active": ("Activa", "Active"),
    "status.temporarily_released": ("Egreso transitorio", "Temporarily released"),
    "status.released": ("Egresada", "Released"),
    "status.transferred": ("Trasladada", "Transferred"),
    "sub.available": ("Peculio libre", "Available funds"),
    "sub.reserve": ("Fondo de reserva", "Release reserve"),
    "sub.phone": ("Tarjeta telefónica", "Phone card"),
    "sub.held": ("Retenido (pedidos)", "Held (orders)"),
    "sub.custody": ("En custodia", "In custody"),
    "sub.pending": ("Pendiente de acreditar", "Pending clearing"),
    "statement.title": ("Estado de cuenta", "Statement"),
    "statement.balances_now": ("Saldos actuales", "Balances now"),
    "statement.show": ("Mostrar", "Show"),
    "statement.pdf": ("Descargar PDF", "Download PDF"),
    "statement.period": ("Movimientos del {start} al {end}", "Movements from {start} to {end}"),
    "statement.kind": ("Movimiento", "Movement"),
    "statement.other": ("Otros saldos", "Other balances"),
    "statement.other_note": ("«Otros saldos» suma tarjeta telefónica, retenido, custodia y "
                             "pendiente.",
                             "'Other balances' adds phone card, held, custody and pending."),
    "statement.who": ("Quién", "Who"),
    "statement.detail": ("Motivo o referencia", "Reason or reference"),
    "statement.correction": ("Corrección", "Correction"),
    "statement.correct": ("Corregir", "Correct"),
    "statement.reversed": ("Revertido", "Reversed"),
    "statement.opening": ("Saldo inicial", "Opening balance"),
    "statement.closing": ("Saldo final", "Closing balance"),
    "kind.deposit": ("Depósito", "Deposit"),
    "kind.deposit_cleared": ("Depósito acreditado", "Deposit cleared"),
    "kind.deposit_rejected": ("Depósito rechazado", "Deposit rejected"),
    "kind.custody_intake": ("Efectivo en custodia", "Cash into custody"),
    "kind.custody_credit": ("Custodia acreditada", "Custody credited"),
    "kind.wage": ("Remuneración", "Wage"),
    "kind.phone_recharge": ("Recarga telefónica", "Phone recharge"),
    "kind.reversal": ("Corrección", "Correction"),
    "kind.transfer_out": ("Traslado", "Transfer out"),
    "kind.release": ("Egreso", "Release"),
    "kind.commissary_order": ("Pedido de economato", "Commissary order"),
    "kind.commissary_settlement": ("Entrega de economato", "Commissary delivery"),
    "kind.commissary_refund": ("Devolución de economato", "Commissary refund"),
    "correction.title": ("Corrección de un movimiento", "Correcting an entry"),
    "correction.entry": ("Asiento", "Entry"),
    "correction.next": ("Continuar", "Continue"),
    "correction.cancel": ("Cancelar", "Cancel"),
    "correction.back": ("Volver", "Back"),
    "correction.confirm_title": ("Confirme la corrección", "Confirm the correction"),
    "correction.confirm_text": ("Se registrará un asiento inverso que anula este movimiento. "
                                "El original no se borra.",
                                "A reversing entry that cancels this movement will be "
                                "recorded. The original is not deleted."),
    "correction.confirm": ("Confirmar corrección", "Confirm correction"),
    "correction.not_reversible": ("Este movimiento no se puede revertir.",
                                  "This entry cannot be reversed."),
    "pending.caption": ("{n} depósito(s) pendiente(s), del más antiguo al más reciente",
                        "{n} pending deposit(s), oldest first"),
    "pending.actions": ("Acciones", "Actions"),
    "pending.clear": ("Acreditar", "Clear"),
    "pending.reject": ("Rechazar", "Reject"),
    "pending.none": ("No hay depósitos pendientes.", "No deposits are pending."),
    "trial.as_of": ("Al {when}.", "As of {when}."),
    "trial.balanced": ("Cuadra: débitos y créditos coinciden y cada activo cubre lo que se "
                       "debe.",
                       "Balanced: debits equal credits and every asset covers what is owed."),
    "trial.unbalanced": ("NO cuadra: diferencia {diff}.", "NOT balanced: difference {diff}."),
    "trial.totals": ("Totales", "Totals"),
    "trial.debits": ("Débitos", "Debits"),
    "trial.credits": ("Créditos", "Credits"),
    "trial.difference": ("Diferencia", "Difference"),
    "trial.relations": ("Activos contra lo adeudado", "Assets against what is owed"),
    "trial.asset": ("Activo", "Asset"),
    "trial.asset_amount": ("Saldo del activo", "Asset balance"),
    "trial.owed": ("Adeudado", "Owed"),
    "trial.matches": ("Coincide", "Matches"),
    "trial.ppl_side": ("Lo adeudado a las PPL", "What is owed to the PPL"),
    "trial.total": ("Total", "Total"),
    "trial.unit_accounts": ("Cuentas de la unidad", "The unit's accounts"),
    "asset.trust_bank": ("Banco (cuenta fiduciaria)", "Trust bank account"),
    "asset.deposits_in_clearing": ("Depósitos en compensación", "Deposits in clearing"),
    "asset.custody_safe": ("Caja de custodia", "Custody safe"),
    "indigent.rule": ("PPL activas con menos de {threshold} de peculio y sin depósitos en "
                      "{days} días.",
                      "Active PPL with less than {threshold} available and no deposit in "
                      "{days} days."),
    "indigent.caption": ("{n} PPL, por sector", "{n} PPL, by sector"),
    "indigent.last_deposit": ("Último depósito", "Last deposit"),
    "indigent.never": ("Nunca", "Never"),
    "indigent.none": ("Nadie está en la lista.", "Nobody is on the list."),
    "integrity.intro": ("Cada evento guardado se encadena con un hash y la cadena se firma "
                        "periódicamente; la comprobación recalcula todo.",
                        "Every stored event is chained by a hash and the chain is signed "
                        "periodically; the check recomputes everything."),
    "integrity.ok": ("Sin alteraciones: {n} eventos comprobados.",
                     "No tampering: {n} events checked."),
    "integrity.findings": ("¡{n} hallazgo(s)! La historia fue alterada.",
                           "{n} finding(s)! The history was altered."),
    "integrity.events": ("Eventos comprobados", "Events checked"),
    "integrity.head": ("Eventos guardados", "Events stored"),
    "integrity.chained": ("Encadenados hasta la posición", "Chained up to position"),
    "integrity.unchained": ("Aún sin encadenar", "Not yet chained"),
    "integrity.checkpoints": ("Puntos firmados", "Signed checkpoints"),
    "integrity.signed_head": ("Firmado hasta la posición", "Signed up to position"),
    "integrity.check_now": ("Comprobar ahora", "Check now"),
    "sign_ins.intro": ("Cada intento de ingreso a estas páginas, también los fallidos y los "
                       "bloqueados.",
                       "Every attempt to sign in to these pages, failed and locked ones "
                       "included."),
    "sign_ins.caption": ("Los {n} más recientes", "The newest {n}"),
    "sign_ins.outcome": ("Resultado", "Outcome"),
    "sign_ins.role": ("Rol", "Role"),
    "sign_ins.client": ("Dirección", "Address"),
    "outcome.signed_in": ("Ingresó", "Signed in"),
    "outcome.failed": ("Contraseña o usuario incorrectos", "Wrong username or password"),
    "outcome.locked": ("Rechazado: usuario bloqueado", "Refused: username locked"),
    "outcome.throttled": ("Rechazado: demasiados intentos desde esa dirección",
                          "Refused: too many attempts from that address"),
    "outcome.signed_out": ("Salió", "Signed out"),
    "outcome.registered": ("Se registró como depositante", "Registered as a depositor"),
    "outcome.ppl_pairing_failed": ("Número y apellido de PPL que no coinciden",
                                   "PPL number and surname that did not match"),
    "activity.intro": ("Los eventos más recientes, cada uno con quién lo hizo, en qué rol y "
                       "por qué medio.",
                       "The newest events, each with who did it, in what role and through "
                       "what."),
    "activity.caption": ("{n} evento(s)", "{n} event(s)"),
    "activity.what": ("Qué", "What"),
    "activity.subject": ("Sobre", "About"),
    "activity.through": ("Por", "Through"),
    "subject.ppl": ("PPL", "PPL"),
    "subject.depositor": ("Depositante", "Depositor"),
    "subject.user": ("Usuario", "User"),
    "role.finance_admin": ("Subdirección Administrativa", "Finance administrator"),
    "role.payroll_officer": ("Nómina", "Payroll officer"),
    "role.deposit_desk": ("Ventanilla de depósitos", "Deposit desk"),
    "role.depositor": ("Depositante", "Depositor"),
    "role.clerk": ("Cajero de economato", "Commissary clerk"),
    "role.auditor": ("Auditoría", "Auditor"),
    "role.contract_inspector": ("Inspección del contrato", "Contract inspector"),
    "role.contractor": ("Contratista", "Contractor"),
    "role.case_officer": ("Oficial de casos", "Case officer"),
    "role.director": ("Dirección", "Director"),
    "role.system": ("Sistema", "System"),
    # errors
    "error.400": ("Solicitud no válida", "Invalid request"),
    "error.401": ("Debe ingresar", "You must sign in"),
    "error.403": ("Sin permiso", "Not allowed"),
    "error.404": ("No encontrado", "Not found"),
    "error.409": ("No se pudo hacer", "It could not be done"),
    "error.422": ("Datos no válidos", "Invalid data"),
    "error.429": ("Demasiados intentos", "Too many attempts"),
    "error.500": ("Error interno: no se registró nada", "Internal error: nothing was recorded"),
    "error.503": ("Servicio ocupado; reintente", "Service busy; retry"),
    "error.other": ("Error", "Error"),
    "error.text_invalid": ("Complete este campo (es obligatorio) sin pasarse del largo "
                           "permitido.",
                           "Fill in this field (it is required) within the allowed length."),
    "error.back_home": ("Volver al inicio", "Back to the start page"),
}


class Translator:
    """`t("key", name=...)`: the text in the page's language, values filled in."""

    def __init__(self, lang: str) -> None:
        self.index = 1 if lang == "en" else 0

    def __call__(self, key: str, **values: Any) -> str:
        texts = M.get(key)
        if texts is None:
            # A code the catalogue does not know yet (a new entry kind, say) shows as is
            # rather than breaking the page; the catalogue test lists what is missing.
            return key.rsplit(".", 1)[-1]
        text = texts[self.index]
        return text.format(**values) if values else text


def language_of(request: Request[Any, Any, Any]) -> str:
    """Spanish unless the person chose English with the switch (a cookie)."""
    chosen = request.cookies.get("ppl_lang", DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
