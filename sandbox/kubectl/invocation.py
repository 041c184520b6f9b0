"""One kubectl run: the shell context, the parsed flags, and what kubectl derives from them.

Keeps the per-command code small: namespace resolution (``-n`` > kubeconfig context > default),
``--dry-run`` strategy, the cluster, and the output streams all come from here.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from sandbox.kubectl import kubeconfig
from sandbox.kubectl.commands import Command
from sandbox.kubectl.errors import KubectlError, UsageError
from sandbox.kubectl.flags import Parsed


class Invocation:
    def __init__(self, ctx: Any, cmd: Command, flags: Parsed) -> None:
        self.ctx = ctx
        self.cmd = cmd
        self.flags = flags
        self.args = flags.args

    # -- streams ------------------------------------------------------------------------------
    def out(self, text: str) -> None:
        self.ctx.out(text)

    def err(self, text: str) -> None:
        self.ctx.err(text)

    def warn(self, text: str) -> None:
        self.ctx.err(f"Warning: {text}\n")

    def usage_error(self, message: str) -> UsageError:
        return UsageError(message, self.cmd.command_path)

    # -- configuration ------------------------------------------------------------------------
    @cached_property
    def config(self) -> kubeconfig.KubeConfig:
        is_config_cmd = self.cmd.path[:1] == ("config",)
        return kubeconfig.load(self.ctx, self.flags.str("kubeconfig") or None, missing_ok=is_config_cmd)

    @property
    def context_name(self) -> str:
        return self.flags.str("context") or self.config.current_context

    @cached_property
    def namespace(self) -> str:
        self._check_context()
        ns = self.flags.str("namespace")
        if ns:
            return ns
        return self.config.namespace(self.context_name)

    def preflight(self) -> None:
        """Generators load the kubeconfig (and check --context) before doing anything else."""
        _ = self.config
        _ = self.namespace

    def _check_context(self) -> None:
        """An unknown --context: generators say so plainly, API clients report an invalid configuration."""
        name = self.flags.str("context") if "context" in self.flags.fs.defs else ""
        if not name or self.cmd.path[:1] == ("config",) or self.config.find("contexts", name) is not None:
            return
        if self.cmd.path[:1] in (("create",), ("run",)):
            raise KubectlError(f'context "{name}" does not exist')
        from sandbox.kubectl.errors import RawError

        raise RawError(f"Error in configuration: context was not found for specified context: {name}\n")

    @property
    def namespace_explicit(self) -> bool:
        """clientcmd's "overridden": only ``-n``/``--namespace`` counts (not the context's namespace)."""
        return bool(self.flags.str("namespace"))

    @property
    def all_namespaces(self) -> bool:
        return "all-namespaces" in self.flags.fs.defs and self.flags.bool("all-namespaces")

    # -- the server ---------------------------------------------------------------------------
    @property
    def cluster(self) -> Any:
        self._check_context()
        self._check_request_timeout()
        lab = getattr(self.ctx, "lab", None)
        cluster = getattr(lab, "cluster", None)
        if cluster is None:
            raise KubectlError("The connection to the server localhost:8080 was refused - did you specify the "
                               "right host or port?")
        return cluster

    def _check_request_timeout(self) -> None:
        """Building the REST client validates --request-timeout (before any request is made)."""
        import re

        value = self.flags.str("request-timeout") if "request-timeout" in self.flags.fs.defs else "0"
        if value and not re.fullmatch(r"\d+", value):
            from sandbox.kubectl.flags import parse_duration

            try:
                if re.fullmatch(r"-?\d+", value):
                    raise ValueError
                parse_duration(value)
            except ValueError:
                raise KubectlError("Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
                                   "followed by a corresponding time unit (e.g. 1s | 2m | 3h)") from None

    def dry_run(self) -> str:
        """``none`` | ``client`` | ``server`` from ``--dry-run`` (cmdutil.GetDryRunStrategy), warned once."""
        cached = getattr(self, "_dry", None)
        if cached is None:
            cached = self._dry = self._dry_run()
        return cached

    def _dry_run(self) -> str:
        if "dry-run" not in self.flags.fs.defs:
            return "none"
        value = self.flags.str("dry-run")
        from sandbox.kubectl.flags import parse_bool

        try:
            as_bool = parse_bool(value)
        except ValueError:
            if value == "unchanged":
                self.klog_warning("helpers.go:714", "--dry-run is deprecated and can be replaced with --dry-run=client.")
                return "client"
            if value in ("client", "server", "none"):
                return value
            raise KubectlError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".') from None
        if as_bool:
            self.klog_warning("helpers.go:728", f"--dry-run={value} is deprecated (boolean value) and can be replaced "
                                                "with --dry-run=client.")
            return "client"
        self.klog_warning("helpers.go:731", f"--dry-run={value} is deprecated (boolean value) and can be replaced "
                                            "with --dry-run=none.")
        return "none"

    def klog_warning(self, where: str, message: str) -> None:
        """klog's W line on stderr: ``W<MMDD> <HH:MM:SS.micros> <pid> <file:line>] <msg>`` (virtual time)."""
        lab = getattr(self.ctx, "lab", None)
        clock = getattr(getattr(lab, "cluster", None), "clock", None)
        if clock is not None:
            now = clock.now
            stamp = now.strftime("%m%d %H:%M:%S") + f".{now.microsecond:06d}"
        else:
            stamp = "1122 06:00:00.000000"
        pid = getattr(self.ctx, "pid", None) or 4242
        self.err(f"W{stamp} {pid:>7} {where}] {message}\n")

    def sleep(self, seconds: float) -> None:
        self.ctx.sleep(seconds)
