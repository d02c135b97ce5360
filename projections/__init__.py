"""Read models kept from the ledger's notification log by tracked runners.

Each projection is one module with its own tables; `registry.PROJECTIONS` lists them."""
