"""The message engine: what happens between a platform's request and the messages it sends.

Events the platforms keep (from webhooks or long polling) are handled by the inbox worker
(:mod:`engine.inbox_worker`); the nudge clock enqueues what is due and delivery sends it
through the platforms (:mod:`engine.scheduler`). The engine reaches storage only through its
ports (:mod:`engine.ports`) and the platforms only through theirs (:mod:`engine.platform`).
"""
