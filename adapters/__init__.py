"""Platform adapters: each verifies, translates to the core's Incoming, and renders replies."""
