"""Who did it, in what role, through what: recorded on every event."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    FINANCE_ADMIN = "finance_admin"  # Subdirector Administrativo y de Gestión
    PAYROLL_OFFICER = "payroll_officer"
    DEPOSIT_DESK = "deposit_desk"
    DEPOSITOR = "depositor"  # a family member or friend, signed in
    CLERK = "clerk"  # commissary clerk (contractor staff) at a POS terminal
    AUDITOR = "auditor"
    CONTRACT_INSPECTOR = "contract_inspector"
    CONTRACTOR = "contractor"
    CASE_OFFICER = "case_officer"
    DIRECTOR = "director"
    SYSTEM = "system"  # operators' CLI and the demo loader


class Channel(StrEnum):
    API = "api"
    POS = "pos"
    WEB = "web"
    CLI = "cli"
    BATCH = "batch"


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: str
    role: Role
    channel: Channel = Channel.API
    terminal_id: str | None = None

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(user_id=name, role=Role.SYSTEM, channel=Channel.CLI)
