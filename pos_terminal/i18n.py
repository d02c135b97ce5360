"""What the POS says, in Spanish (the default) and English, and how it writes money."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("es", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "es": {
        "title": "Economato — terminal {terminal}",
        "sign_in": "Ingreso del cajero",
        "server": "Servidor: {server}",
        "username": "Usuario",
        "password": "Contraseña",
        "sign_in_hint": "Enter: ingresar",
        "signed_in": "Ingresó {username}.",
        "open_run": "Abrir reparto",
        "sector": "Sector",
        "date": "Fecha (AAAA-MM-DD)",
        "open_run_hint": "Enter: abrir el reparto del sector en esa fecha",
        "run_empty_next": "No hay pedidos del sector {sector} el {day}. El próximo reparto con "
                          "pedidos es el {next_day} ({count} pedidos): pulse Enter para abrirlo.",
        "run_empty": "No hay pedidos del sector {sector} el {day} ni en los 7 días siguientes.",
        "date_invalid": "Escriba la fecha como AAAA-MM-DD.",
        "sector_invalid": "Escriba el sector (letras o cifras).",
        "run_title": "Reparto del sector {sector} — {day}",
        "run_counts": "{open} por entregar · {done} cerradas · {queued} en cola · {total} pedidos",
        "number_prompt": "N° de PPL (escriba o escanee y Enter)",
        "number_invalid": "El número penitenciario tiene de 1 a 20 letras, cifras o guiones.",
        "loading": "Consultando…",
        "ppl_not_in_run": "La PPL {number} no tiene pedido en este reparto.",
        "no_data_offline": "Sin conexión y sin datos guardados de la PPL {number}.",
        "name": "Nombre",
        "document": "Documento (últimos dígitos)",
        "sector_regime": "Sector / régimen",
        "eligibility": "Economato",
        "eligible": "habilitado",
        "restricted": "RESTRINGIDO por sanción",
        "suspended": "SUSPENDIDO por sanción",
        "until": "hasta {until}",
        "available": "Disponible",
        "held": "Retenido por pedidos",
        "limits_left": "Le queda este mes",
        "limits_value": "{money} y {items} artículos",
        "data_at": "datos de las {time}{offline}",
        "data_offline": " (sin conexión)",
        "order": "Pedido",
        "order_none": "Sin pedido en este reparto.",
        "order_status": "Estado: {status}",
        "col_code": "Código",
        "col_product": "Producto",
        "col_quantity": "Cant.",
        "col_price": "Precio",
        "col_subtotal": "Subtotal",
        "col_number": "PPL",
        "col_status": "Estado",
        "col_delivered": "Entregado",
        "price_list": "Lista de precios",
        "col_total": "Total",
        "total": "Total",
        "status_placed": "por entregar",
        "status_delivered": "entregado",
        "status_partially_delivered": "entrega parcial",
        "status_cancelled": "cancelado",
        "status_absent": "ausente",
        "status_queued": "en cola (sin sincronizar)",
        "key_full": "Entregar todo",
        "key_partial": "Parcial",
        "key_absent": "Ausente",
        "key_sale": "Venta",
        "key_new_order": "Pedido",
        "key_sync": "Sincronizar",
        "key_receipt": "Comprobante",
        "key_back": "Volver",
        "key_print": "Imprimir",
        "key_confirm": "Confirmar",
        "key_cancel": "Cancelar",
        "key_remove": "Quitar línea",
        "key_quit": "Salir",
        "pick_a_ppl": "Primero identifique a la PPL (número y Enter).",
        "order_not_open": "Este pedido ya está {status}: no se puede confirmar otra vez.",
        "already_queued": "La entrega de este pedido ya está en cola; se enviará al volver la red.",
        "partial_title": "Entrega parcial — PPL {number}",
        "partial_hint": "Escriba lo entregado de cada producto (0 si nada). Enter en la última "
                        "línea o F2 para confirmar; Esc para cancelar.",
        "quantity_invalid": "La cantidad entregada de {code} va de 0 a {max}.",
        "absent_title": "¿Registrar a la PPL {number} como AUSENTE?",
        "absent_hint": "El pedido se cierra y lo retenido vuelve a su disponible. "
                       "S o Enter: sí · N o Esc: no",
        "confirmed": "Confirmado en el servidor.",
        "queued": "SIN CONEXIÓN: guardado en la cola de la terminal; se enviará al volver la red.",
        "refused": "Rechazado por el servidor: {detail}",
        "sync_bar": "Por sincronizar: {pending}",
        "sync_refused": " · Rechazadas: {refused}",
        "online": "En línea",
        "offline": "SIN CONEXIÓN desde las {since}",
        "unknown_link": "Conexión sin comprobar",
        "signed_as": "Cajero: {username}",
        "synced": "Sincronizadas {applied}; quedan {pending}.",
        "sync_stopped": "Sincronización detenida: {reason}",
        "session_expired": "La sesión venció: vuelva a ingresar para sincronizar.",
        "offline_sale_refused": "Sin conexión: las ventas y los pedidos NO se pueden hacer sin "
                                "conexión, porque el servidor debe verificar los fondos y los "
                                "límites de la PPL. Solo las entregas y las ausencias se guardan "
                                "para sincronizar. Intente de nuevo cuando vuelva la red.",
        "offline_read": "Sin conexión con el servidor ({cause}).",
        "sale_title": "Venta en mostrador — PPL {number}",
        "new_order_title": "Nuevo pedido para el próximo reparto — PPL {number}",
        "sale_prompt": "Producto: código (o N*código) y Enter",
        "sale_hint": "F2 cobrar · F9 quita la línea marcada · Esc vuelve",
        "order_hint": "F2 hacer el pedido · F9 quita la línea marcada · Esc vuelve",
        "product_unknown": "No hay producto {code} en la lista de precios.",
        "product_entry_invalid": "Escriba el código del producto, o cantidad*código "
                                 "(p. ej. 3*GALL-01).",
        "cart_empty": "Agregue al menos un producto.",
        "cart_over_funds": "Atención: el total supera el disponible ({available}).",
        "receipt_title": "Comprobante",
        "receipt_hint": "P: imprimir (texto y PDF) · Enter o Esc: cerrar",
        "printed": "Comprobante guardado: {text} y {pdf}",
        "print_failed": "No se pudo imprimir: {reason}",
        "r_unit": "ECONOMATO — COMPROBANTE",
        "r_kind_delivery": "Entrega del reparto del sector {sector} ({day})",
        "r_kind_partial": "Entrega PARCIAL del reparto del sector {sector} ({day})",
        "r_kind_absent": "AUSENTE en el reparto del sector {sector} ({day})",
        "r_kind_sale": "Venta en mostrador",
        "r_kind_order": "Pedido para la entrega del {day}",
        "r_order": "Pedido",
        "r_ppl": "PPL",
        "r_terminal": "Terminal {terminal} · atendió {clerk}",
        "r_when": "Fecha y hora",
        "r_delivered": "Entregado",
        "r_ordered": "Pedido",
        "r_charged": "Cobrado",
        "r_released": "Devuelto a su disponible",
        "r_held": "Retenido hasta la entrega",
        "r_available_after": "Disponible después",
        "r_provisional": "PROVISORIO — SIN SINCRONIZAR: la terminal lo enviará al servidor "
                         "al volver la red.",
        "r_confirmed": "Registrado en el servidor.",
        "r_replayed": "Registrado en el servidor (respuesta repetida de la primera vez).",
        "r_nothing": "Nada entregado: el pedido se cerró y todo lo retenido volvió.",
        "keygen_exists": "Ya existe {path}: no se sobrescribe una clave de terminal.",
        "keygen_done": "Clave privada de la terminal en {path} (modo 0600). Registre esta clave "
                       "pública con POST /terminals:",
        "key_unreadable": "No se puede usar la clave de la terminal {path}: {reason}",
        "key_too_open": "la clave es legible por otros usuarios (modo {mode}); use chmod 600",
    },
    "en": {
        "title": "Commissary — terminal {terminal}",
        "sign_in": "Clerk sign-in",
        "server": "Server: {server}",
        "username": "Username",
        "password": "Password",
        "sign_in_hint": "Enter: sign in",
        "signed_in": "{username} signed in.",
        "open_run": "Open a delivery run",
        "sector": "Sector",
        "date": "Date (YYYY-MM-DD)",
        "open_run_hint": "Enter: open the sector's run on that date",
        "run_empty_next": "No orders for sector {sector} on {day}. The next run with orders is "
                          "on {next_day} ({count} orders): press Enter to open it.",
        "run_empty": "No orders for sector {sector} on {day} nor in the next 7 days.",
        "date_invalid": "Write the date as YYYY-MM-DD.",
        "sector_invalid": "Write the sector (letters or digits).",
        "run_title": "Sector {sector} delivery run — {day}",
        "run_counts": "{open} to deliver · {done} closed · {queued} queued · {total} orders",
        "number_prompt": "PPL number (type or scan, then Enter)",
        "number_invalid": "A penitentiary number has 1 to 20 letters, digits or dashes.",
        "loading": "Asking the server…",
        "ppl_not_in_run": "PPL {number} has no order in this run.",
        "no_data_offline": "Offline, and no saved data for PPL {number}.",
        "name": "Name",
        "document": "Document (last digits)",
        "sector_regime": "Sector / regime",
        "eligibility": "Commissary",
        "eligible": "allowed",
        "restricted": "RESTRICTED by a sanction",
        "suspended": "SUSPENDED by a sanction",
        "until": "until {until}",
        "available": "Available",
        "held": "Held for orders",
        "limits_left": "Left this month",
        "limits_value": "{money} and {items} items",
        "data_at": "data as of {time}{offline}",
        "data_offline": " (offline)",
        "order": "Order",
        "order_none": "No order in this run.",
        "order_status": "Status: {status}",
        "col_code": "Code",
        "col_product": "Product",
        "col_quantity": "Qty",
        "col_price": "Price",
        "col_subtotal": "Subtotal",
        "col_number": "PPL",
        "col_status": "Status",
        "col_delivered": "Delivered",
        "price_list": "Price list",
        "col_total": "Total",
        "total": "Total",
        "status_placed": "to deliver",
        "status_delivered": "delivered",
        "status_partially_delivered": "partly delivered",
        "status_cancelled": "cancelled",
        "status_absent": "absent",
        "status_queued": "queued (not synced)",
        "key_full": "Deliver all",
        "key_partial": "Partial",
        "key_absent": "Absent",
        "key_sale": "Sale",
        "key_new_order": "Order",
        "key_sync": "Sync",
        "key_receipt": "Receipt",
        "key_back": "Back",
        "key_print": "Print",
        "key_confirm": "Confirm",
        "key_cancel": "Cancel",
        "key_remove": "Remove line",
        "key_quit": "Quit",
        "pick_a_ppl": "First identify the PPL (number, then Enter).",
        "order_not_open": "This order is already {status}: it cannot be confirmed again.",
        "already_queued": "This order's delivery is already queued; it is sent when the "
                          "network is back.",
        "partial_title": "Partial delivery — PPL {number}",
        "partial_hint": "Type what was handed over of each product (0 if none). Enter on the "
                        "last line or F2 to confirm; Esc to cancel.",
        "quantity_invalid": "The delivered quantity of {code} goes from 0 to {max}.",
        "absent_title": "Record PPL {number} as ABSENT?",
        "absent_hint": "The order is closed and the held money goes back to available. "
                       "Y or Enter: yes · N or Esc: no",
        "confirmed": "Confirmed by the server.",
        "queued": "OFFLINE: saved in the terminal's queue; sent when the network is back.",
        "refused": "Refused by the server: {detail}",
        "sync_bar": "Waiting to sync: {pending}",
        "sync_refused": " · Refused: {refused}",
        "online": "Online",
        "offline": "OFFLINE since {since}",
        "unknown_link": "Link not checked yet",
        "signed_as": "Clerk: {username}",
        "synced": "Synced {applied}; {pending} left.",
        "sync_stopped": "Sync stopped: {reason}",
        "session_expired": "The session expired: sign in again to sync.",
        "offline_sale_refused": "Offline: sales and orders CANNOT be made offline, because the "
                                "server must check the PPL's funds and limits. Only deliveries "
                                "and absences are saved to sync. Try again when the network is "
                                "back.",
        "offline_read": "No connection to the server ({cause}).",
        "sale_title": "Walk-up sale — PPL {number}",
        "new_order_title": "New order for the next delivery — PPL {number}",
        "sale_prompt": "Product: code (or N*code), then Enter",
        "sale_hint": "F2 charge · F9 removes the marked line · Esc goes back",
        "order_hint": "F2 place the order · F9 removes the marked line · Esc goes back",
        "product_unknown": "No product {code} on the price list.",
        "product_entry_invalid": "Type the product code, or quantity*code (e.g. 3*GALL-01).",
        "cart_empty": "Add at least one product.",
        "cart_over_funds": "Note: the total is over the available funds ({available}).",
        "receipt_title": "Receipt",
        "receipt_hint": "P: print (text and PDF) · Enter or Esc: close",
        "printed": "Receipt saved: {text} and {pdf}",
        "print_failed": "Could not print: {reason}",
        "r_unit": "COMMISSARY — RECEIPT",
        "r_kind_delivery": "Delivery, sector {sector} run ({day})",
        "r_kind_partial": "PARTIAL delivery, sector {sector} run ({day})",
        "r_kind_absent": "ABSENT at the sector {sector} run ({day})",
        "r_kind_sale": "Walk-up sale",
        "r_kind_order": "Order for the {day} delivery",
        "r_order": "Order",
        "r_ppl": "PPL",
        "r_terminal": "Terminal {terminal} · served by {clerk}",
        "r_when": "Date and time",
        "r_delivered": "Delivered",
        "r_ordered": "Ordered",
        "r_charged": "Charged",
        "r_released": "Back to available",
        "r_held": "Held until delivery",
        "r_available_after": "Available after",
        "r_provisional": "PROVISIONAL — NOT SYNCED: the terminal sends it to the server when "
                         "the network is back.",
        "r_confirmed": "Recorded by the server.",
        "r_replayed": "Recorded by the server (the first answer, replayed).",
        "r_nothing": "Nothing handed over: the order was closed and all the held money went "
                     "back.",
        "keygen_exists": "{path} exists: a terminal key is never overwritten.",
        "keygen_done": "The terminal's private key is in {path} (mode 0600). Register this "
                       "public key with POST /terminals:",
        "key_unreadable": "Cannot use the terminal key {path}: {reason}",
        "key_too_open": "the key is readable by other users (mode {mode}); chmod 600 it",
    },
}


class Messages:
    """The catalogue in one language; `t(key, **values)`."""

    def __init__(self, language: str = "es") -> None:
        self.language = language if language in LANGUAGES else "es"

    def t(self, key: str, **values: Any) -> str:
        return MESSAGES[self.language][key].format(**values)

    def status(self, status: str) -> str:
        return self.t(f"status_{status}") if f"status_{status}" in MESSAGES["es"] else status

    def money(self, minor: int, currency: str) -> str:
        return format_money(minor, currency, self.language)

    def amount(self, minor: int) -> str:
        return format_amount(minor, self.language)


def format_amount(minor: int, language: str = "es") -> str:
    """1.234,50 in Spanish, 1,234.50 in English (minor units are hundredths)."""
    sign = "-" if minor < 0 else ""
    units, cents = divmod(abs(minor), 100)
    grouped = f"{units:,}"
    if language == "es":
        return f"{sign}{grouped.replace(',', '.')},{cents:02d}"
    return f"{sign}{grouped}.{cents:02d}"


def format_money(minor: int, currency: str, language: str = "es") -> str:
    """UYU 1.234,50 in Spanish, UYU 1,234.50 in English."""
    return f"{currency} {format_amount(minor, language)}"
