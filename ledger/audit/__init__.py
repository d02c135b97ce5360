"""Tamper evidence: a hash chain over the stored events, signed checkpoints, verification.
See docs/AUDIT.md."""
