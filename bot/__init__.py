"""The core of Samverkansboten: domain, commands, guidance and neutral replies. No I/O here."""
