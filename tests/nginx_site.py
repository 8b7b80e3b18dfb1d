"""A built site served by Debian's nginx on loopback with the shipped configuration
(ci-templates/publish/nginx-zzb.conf), under its /zzb/ prefix or another one."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = ROOT / "ci-templates" / "publish" / "nginx-zzb.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configuration(site: Path, port: int, prefix: str = "/zzb/") -> str:
    """The shipped server block, listening on loopback, serving ``site`` under ``prefix``."""
    shipped = SHIPPED.read_text(encoding="utf-8")
    for part in ("listen 80;", "/srv/zzb/site/", "location /zzb/", "error_page 404 /zzb/"):
        assert part in shipped, part
    served = shipped.replace("listen 80;", f"listen 127.0.0.1:{port};")
    served = served.replace("/srv/zzb/site/", f"{site.resolve()}/")
    return served.replace("location /zzb/", f"location {prefix}").replace(
        "error_page 404 /zzb/", f"error_page 404 {prefix}"
    )


@contextlib.contextmanager
def nginx(site: Path, work: Path, prefix: str = "/zzb/") -> Iterator[int]:
    """nginx serving ``site`` under ``prefix`` (its files in ``work``); yields the port."""
    port = free_port()
    (work / "logs").mkdir(parents=True, exist_ok=True)
    temp = "\n".join(
        f"    {kind}_temp_path {work}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"daemon off;\nmaster_process off;\npid {work}/nginx.pid;\nerror_log {work}/logs/error.log;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n    access_log off;\n{temp}\n"
        f"{configuration(site, port, prefix)}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(work / "nginx.conf")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None  # type: ignore[union-attr]
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
