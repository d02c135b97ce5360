"""Pages for families and friends who deposit (V.H.8)."""
