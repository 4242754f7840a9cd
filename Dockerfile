# Samverkansboten: `samverkan serve` answers Slack, Telegram and /healthz on $PORT; its worker
# processes (WORKER_PROCESSES, 1 by default) handle what it keeps and run the scheduler.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORT=3000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY engine ./engine
COPY documents ./documents
COPY storage ./storage
COPY model_content ./model_content
COPY runtime ./runtime
RUN pip install . && useradd --create-home samverkan
USER samverkan
WORKDIR /home/samverkan

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz')"
CMD ["samverkan", "serve"]
