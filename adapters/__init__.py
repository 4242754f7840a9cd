"""The platforms, one folder each: a factory that takes the platform's own settings section
and its surroundings and returns an :class:`engine.platform.Platform` (verify → keep →
acknowledge; translate for the core; render and send its replies and nudges)."""
