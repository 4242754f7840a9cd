"""The outer ring: settings, the composition root, the command line and the servers."""
