"""Pages for the finance administrator, the auditor and the contract inspector."""
