"""What `kubelab serve` runs per browser connection: the app in a fresh, private home directory."""

from __future__ import annotations

import os
import sys
import tempfile


def main() -> int:
    base = os.environ.get("KUBELAB_WORKSHOP_DIR") or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    os.environ["KUBELAB_HOME"] = tempfile.mkdtemp(prefix="kubelab-learner-", dir=base)
    from tutor.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
