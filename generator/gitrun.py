"""Every git command sitegen runs goes through :func:`run_git`: one timeout, one failure rule.

The ledger lives in git, but a build must not hang on a stuck git (a network drive, a lock
prompt) nor crash where git is missing: a call that cannot finish gives a failed result
(return code 127, the reason in ``stderr``) and its caller decides what that means (no
revision shown, no changes page, "not a git repository").
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

# Long enough for the slowest call a build makes (``git log --name-only`` over a province's
# history on a slow disk), short enough that a hung git cannot hold a build for good.
GIT_TIMEOUT = 300
GIT_MISSING = 127


def run_git(
    cwd: Path,
    *args: str,
    binary: bool = False,
    env: Mapping[str, str] | None = None,
    input: bytes | str | None = None,
) -> subprocess.CompletedProcess:
    """``git -C cwd args``, output captured; never raises for a missing or stuck git.

    ``env``: the whole environment instead of this process's (a hook leaves out git's own
    ``GIT_*`` variables, which name the repository and index of the commit being made)."""
    command = ["git", "-C", str(cwd), *args]
    try:
        return subprocess.run(
            command,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            text=not binary,
            env=None if env is None else dict(env),
            input=input,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(command, GIT_MISSING, b"" if binary else "", str(exc))
