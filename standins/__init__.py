"""Local servers that answer like the platforms' APIs (the Slack Web API, the Telegram Bot
API), their errors and limits included, and a way to serve our ASGI app beside them. The tests
and the benchmark both use them; the product never does."""
