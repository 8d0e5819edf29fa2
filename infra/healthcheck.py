"""The container's health check (Docker HEALTHCHECK; Kubernetes uses its own probes instead).

Standard library only, so it runs in the image without importing the application: a worker (or
an API) with METRICS_PORT answers on its metrics endpoint; an API without it on /healthz.
PR_AGENT_HEALTH_URL overrides both.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def health_url(environ: dict[str, str]) -> str:
    if environ.get("PR_AGENT_HEALTH_URL"):
        return environ["PR_AGENT_HEALTH_URL"]
    if environ.get("METRICS_PORT"):
        return f"http://127.0.0.1:{environ['METRICS_PORT']}/metrics"
    return f"http://127.0.0.1:{environ.get('API_PORT', '8000')}/healthz"


def main() -> int:
    url = health_url(dict(os.environ))
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        sys.stderr.write(f"unhealthy: {url}: {error}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
