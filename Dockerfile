# Samverkansboten: `samverkan serve` answers Slack, Telegram, /healthz and /metrics on $PORT; its
# worker processes (WORKER_PROCESSES, 1 by default) handle what it keeps and run the scheduler.
# The default SQLite file lives in the volume /data; with PostgreSQL set DATABASE_URL (compose.yaml).

# The project as a wheel: the image gets the installed package, not the source tree.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY engine ./engine
COPY documents ./documents
COPY storage ./storage
COPY model_content ./model_content
COPY runtime ./runtime
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000 \
    DATABASE_URL=sqlite:////data/samverkan.db
# Time zones come from the tzdata package on PyPI (a dependency), not from the image.
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl \
    && rm -rf /wheels \
    && useradd --uid 10001 --no-create-home --home-dir /data --shell /usr/sbin/nologin samverkan \
    && mkdir /data \
    && chown 10001:10001 /data
USER 10001
WORKDIR /data
VOLUME /data

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"]
CMD ["samverkan", "serve"]
