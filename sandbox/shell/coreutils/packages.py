"""Package managers inside containers (apt-get/apt on Debian and Ubuntu images, apk on Alpine).

Tutorials install curl before using it. Installing adds the program to the container's binaries
(until the container restarts); a package the image already has reports "already the newest version",
which is what happens with curl in the official nginx image (pod-tools.md).
"""

from __future__ import annotations

from sandbox.shell.registry import CommandContext

#: package -> (programs it provides, Debian version, Alpine version)
PACKAGES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "curl": (("curl",), "7.88.1-10+deb12u12", "8.12.1-r1"),
    "wget": (("wget",), "1.21.3-1+b2", "1.25.0-r0"),
    "dnsutils": (("nslookup", "dig", "host"), "1:9.18.33-1~deb12u2", ""),
    "bind9-dnsutils": (("nslookup", "dig", "host"), "1:9.18.33-1~deb12u2", ""),
    "bind-tools": (("nslookup", "dig", "host"), "", "9.18.35-r0"),
    "iputils-ping": (("ping",), "3:20221126-1+deb12u1", ""),
    "iproute2": (("ip", "ss"), "6.1.0-3", "6.13.0-r0"),
    "netcat-openbsd": (("nc",), "1.219-1", "1.226.1.1-r0"),
    "netcat-traditional": (("nc",), "1.10-47", ""),
    "jq": (("jq",), "1.6-2.1", "1.7.1-r0"),
    "procps": (("ps", "top", "watch", "free"), "2:4.0.2-3", "4.0.4-r2"),
    "vim": (("vim", "vi"), "2:9.0.1378-2", "9.1.1105-r0"),
    "nano": (("nano",), "7.2-1+deb12u1", "8.3-r0"),
    "bash": (("bash",), "5.2.15-2+b7", "5.2.37-r0"),
    "net-tools": (("netstat", "ifconfig", "route"), "2.10-0.1", ""),
    "telnet": (("telnet",), "0.17+2.4-2+deb12u1", ""),
    "ca-certificates": ((), "20230311", "20241121-r1"),
}


def _install(ctx: CommandContext, programs: tuple[str, ...]) -> None:
    from sandbox.shell.hosts import install_binaries

    ctx.host.binaries.update(programs)
    install_binaries(ctx.host.fs, ctx.host, set(programs))


def _is_ubuntu(ctx: CommandContext) -> bool:
    return "ID=ubuntu" in ((ctx.host.fs.entry("/etc/os-release") or _Empty()).text())


class _Empty:
    def text(self) -> str:
        return ""


def _not_root(ctx: CommandContext, prog: str) -> int | None:
    if ctx.host.user == "root":
        return None
    if prog == "apk":
        ctx.err("ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk database: Permission denied\n")
        return 99
    ctx.err("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n"
            "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n")
    return 100


def apt_get_cmd(ctx: CommandContext) -> int:
    args = [a for a in ctx.argv[1:] if not a.startswith("-")]
    prog = ctx.argv[0]
    if not args:
        ctx.out("apt 2.6.1 (amd64)\nUsage: apt-get [options] command\n")
        return 1 if prog == "apt-get" else 0
    denied = _not_root(ctx, prog)
    if denied is not None:
        return denied
    verb, names = args[0], args[1:]
    ubuntu = _is_ubuntu(ctx)
    if verb == "update":
        if ubuntu:
            base = "http://archive.ubuntu.com/ubuntu"
            lines = ["Get:1 http://security.ubuntu.com/ubuntu noble-security InRelease [126 kB]",
                     f"Get:2 {base} noble InRelease [256 kB]",
                     f"Get:3 {base} noble-updates InRelease [126 kB]",
                     f"Get:4 {base} noble-backports InRelease [126 kB]",
                     f"Get:5 {base} noble/main amd64 Packages [1808 kB]",
                     f"Get:6 {base} noble/universe amd64 Packages [19.3 MB]",
                     "Fetched 21.7 MB in 2s (9012 kB/s)"]
        else:
            lines = ["Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]",
                     "Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]",
                     "Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]",
                     "Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]",
                     "Get:5 http://deb.debian.org/debian bookworm-updates/main amd64 Packages [13.5 kB]",
                     "Get:6 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages [246 kB]",
                     "Fetched 9306 kB in 1s (7012 kB/s)"]
        ctx.sleep(2)
        ctx.out("\n".join(lines) + "\nReading package lists... Done\n")
        return 0
    if verb in ("install", "reinstall"):
        out = ["Reading package lists... Done", "Building dependency tree... Done",
               "Reading state information... Done"]
        new: list[str] = []
        for name in names:
            pkg = PACKAGES.get(name)
            if pkg is None:
                ctx.out("\n".join(out) + "\n")
                ctx.err(f"E: Unable to locate package {name}\n")
                return 100
            programs, version, _ = pkg
            if programs and all(p in ctx.host.binaries for p in programs):
                out.append(f"{name} is already the newest version ({version}).")
            else:
                new.append(name)
        if new:
            out.append("The following NEW packages will be installed:")
            out.append("  " + " ".join(new))
        out.append(f"0 upgraded, {len(new)} newly installed, 0 to remove and 0 not upgraded.")
        for name in new:
            programs, version, _ = PACKAGES[name]
            out.append(f"Setting up {name} ({version}) ...")
            _install(ctx, programs)
        if new:
            ctx.sleep(3)
        ctx.out("\n".join(out) + "\n")
        return 0
    if verb in ("remove", "purge", "upgrade", "dist-upgrade", "autoremove", "clean"):
        ctx.out("Reading package lists... Done\nBuilding dependency tree... Done\n"
                "Reading state information... Done\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n")
        return 0
    ctx.err(f"E: Invalid operation {verb}\n")
    return 100


apt_cmd = apt_get_cmd


def apk_cmd(ctx: CommandContext) -> int:
    args = [a for a in ctx.argv[1:] if not a.startswith("-")]
    if not args:
        ctx.out("apk-tools 2.14.6, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n")
        return 1
    denied = _not_root(ctx, "apk")
    if denied is not None:
        return denied
    verb, names = args[0], args[1:]
    if verb == "update":
        ctx.out("fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/main/x86_64/APKINDEX.tar.gz\n"
                "fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/community/x86_64/APKINDEX.tar.gz\n"
                "v3.21.3-63-g5d3e1f5fa59 [https://dl-cdn.alpinelinux.org/alpine/v3.21/main]\n"
                "v3.21.3-62-g1a2b3c4d5e6 [https://dl-cdn.alpinelinux.org/alpine/v3.21/community]\n"
                "OK: 25398 distinct packages available\n")
        return 0
    if verb == "add":
        lines: list[str] = []
        if "--no-cache" in ctx.argv:
            lines += ["fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/main/x86_64/APKINDEX.tar.gz",
                      "fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/community/x86_64/APKINDEX.tar.gz"]
        missing = [n for n in names if n not in PACKAGES or not PACKAGES[n][2]]
        if missing:
            ctx.out("\n".join(lines) + ("\n" if lines else ""))
            ctx.err("ERROR: unable to select packages:\n" +
                    "".join(f"  {n} (no such package):\n    required by: world[{n}]\n" for n in missing))
            return len(missing)
        k = 0
        new = [n for n in names if not all(p in ctx.host.binaries for p in PACKAGES[n][0])]
        for n in new:
            k += 1
            lines.append(f"({k}/{len(new)}) Installing {n} ({PACKAGES[n][2]})")
            _install(ctx, PACKAGES[n][0])
        lines.append("Executing busybox-1.37.0-r12.trigger")
        lines.append(f"OK: {8 + 2 * k} MiB in {16 + k} packages")
        ctx.out("\n".join(lines) + "\n")
        return 0
    if verb in ("del", "upgrade", "fix", "cache"):
        ctx.out("OK: 9 MiB in 15 packages\n")
        return 0
    ctx.err(f"ERROR: '{verb}' is not an apk command. See 'apk --help'.\n")
    return 1
