"""Pages for the PPP contractor, and the public price list (V.H.1)."""
