"""Building hosts: the kubeadm nodes and the containers of running pods.

A node's files are generated once (home, /etc, kubeconfig); a container's files are the container
runtime's own dict (image files + kubelet-generated /etc files), mirrored both ways so that a file the
learner writes is what the container's program serves, and a file the program writes is what ``cat``
shows.
"""

from __future__ import annotations

import posixpath
from typing import Any

from sandbox.shell.host import BUILTINS, COREUTILS, NODE_TOOLS, Host
from sandbox.shell.vfs import VirtualFS

UBUNTU_OS_RELEASE = (
    'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\n'
    'VERSION="24.04.3 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n'
    'HOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\n'
    'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\n'
    'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\n'
    "UBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n"
)
NODE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin"
DEFAULT_NODE_IPS = {"controlplane": "172.30.1.2", "node01": "172.30.2.2", "node02": "172.30.3.2"}

BASHRC = """# ~/.bashrc: executed by bash(1) for non-login shells.

# If not running interactively, don't do anything
[ -z "$PS1" ] && return

HISTCONTROL=ignoredups:ignorespace
HISTSIZE=1000
HISTFILESIZE=2000
"""
CONTROLPLANE_BASHRC_EXTRA = """
# kubectl shortcuts
alias k=kubectl
"""


#: /proc and /proc/sys entries a kubeadm node has (kernel identity and the sysctls kubeadm and
#: kube-proxy in IPVS mode require).
PROC_FILES = {
    "/proc/version": "Linux version 6.8.0-51-generic (buildd@lcy02-amd64-091) (x86_64-linux-gnu-gcc-13 "
                     "(Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) "
                     "#52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024\n",
    "/proc/sys/net/ipv4/ip_forward": "1\n",
    "/proc/sys/net/bridge/bridge-nf-call-iptables": "1\n",
    "/proc/sys/net/bridge/bridge-nf-call-ip6tables": "1\n",
    "/proc/sys/net/ipv4/vs/conntrack": "1\n",
    "/proc/sys/net/ipv4/vs/expire_nodest_conn": "1\n",
    "/proc/sys/net/ipv4/vs/expire_quiescent_template": "1\n",
    "/proc/sys/net/ipv4/conf/all/route_localnet": "1\n",
    "/proc/sys/net/ipv4/conf/all/arp_ignore": "1\n",
    "/proc/sys/net/ipv4/conf/all/arp_announce": "2\n",
    "/proc/sys/net/netfilter/nf_conntrack_max": "131072\n",
}


def _os_flavour(name: str | None) -> str | None:
    return {"ash": "busybox", "sh": "busybox"}.get(name or "", name) if name else None


def node_ips(cluster: Any) -> dict[str, str]:
    info = getattr(cluster, "nodes_info", None) or {}
    ips = {name: getattr(ni, "ip", "") for name, ni in info.items()}
    for name in getattr(cluster, "node_names", []) or []:
        ips.setdefault(name, DEFAULT_NODE_IPS.get(name, ""))
    return ips


def node_host(lab: Any, name: str) -> Host:
    """The host of a kubeadm node (controlplane, node01, ...)."""
    cluster = getattr(lab, "cluster", None)
    ips = node_ips(cluster) if cluster is not None else dict(DEFAULT_NODE_IPS)
    control_plane = _is_control_plane(cluster, name)
    binaries = set(COREUTILS | NODE_TOOLS | BUILTINS)
    if control_plane:
        binaries.add("kubectl")
        binaries.add("kubeadm")
    now = _clock_seconds(lab)

    def build(host: Host) -> VirtualFS:
        fs = VirtualFS(now)
        for d in ("/bin", "/boot", "/dev", "/home", "/lib", "/mnt", "/opt", "/proc", "/run", "/sbin", "/srv",
                  "/sys", "/tmp", "/usr/bin", "/usr/local/bin", "/usr/sbin", "/usr/share", "/var/log",
                  "/var/lib/kubelet", "/etc/cni/net.d", "/root"):
            fs.add_dir(d)
        fs.add_file("/etc/hostname", name + "\n")
        fs.add_file("/etc/os-release", UBUNTU_OS_RELEASE)
        fs.add_file("/etc/resolv.conf", "nameserver 8.8.8.8\nnameserver 8.8.4.4\n")
        hosts = "127.0.0.1 localhost\n" + "".join(f"{ip} {n}\n" for n, ip in sorted(ips.items()) if ip)
        fs.add_file("/etc/hosts", hosts)
        fs.add_file("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
        fs.add_file("/root/.bashrc", BASHRC + (CONTROLPLANE_BASHRC_EXTRA if control_plane else ""))
        fs.add_file("/root/.profile", 'if [ "$BASH" ]; then\n  if [ -f ~/.bashrc ]; then\n    . ~/.bashrc\n  fi\nfi\n')
        for path, text in PROC_FILES.items():
            fs.add_file(path, text)
        fs.add_file("/var/lib/kubelet/config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\n"
                    "clusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nkind: KubeletConfiguration\n")
        install_binaries(fs, host)
        if control_plane:
            kubeconfig = _kubeconfig_text
            fs.add_file("/etc/kubernetes/admin.conf", kubeconfig, mode=0o600)
            fs.add_dir("/root/.kube")
            fs.add_file("/root/.kube/config", kubeconfig, mode=0o600)
            fs.add_dir("/etc/kubernetes/manifests")
            for comp in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
                fs.add_file(f"/etc/kubernetes/manifests/{comp}.yaml", _static_pod_stub(comp), mode=0o600)
        else:
            fs.add_file("/etc/kubernetes/kubelet.conf", "apiVersion: v1\nkind: Config\n", mode=0o600)
        return fs

    return Host(
        kind="node", name=name, hostname=name, shell_flavour="bash", binaries=binaries, user="root",
        home="/root", fs_factory=build,
        env={"HOME": "/root", "USER": "root", "LOGNAME": "root", "SHELL": "/bin/bash", "PATH": NODE_PATH,
             "TERM": "xterm", "LANG": "C.UTF-8", "SHLVL": "1"},
        source_info={"kind": "node", "node": name, "ip": ips.get(name, ""), "distro": "ubuntu"},
        node=name,
    )


def install_binaries(fs: VirtualFS, host: Host, names: set[str] | None = None) -> None:
    """Program files where ``which`` finds them (``ls /usr/bin`` shows what the host has)."""
    for name in sorted(names if names is not None else host.binaries):
        if name in BUILTINS - {"echo", "printf", "test", "[", "true", "false", "pwd", "kill"}:
            continue
        path = host.find_executable(name)
        if path is not None and not fs.exists(path):
            fs.add_file(path, "", mode=0o755)


def _kubeconfig_text() -> str:
    try:
        from sandbox.kubectl.kubeconfig import default_text
    except ImportError:  # pragma: no cover - kubectl layer absent
        return ""
    return default_text()


def _static_pod_stub(component: str) -> str:
    return (f"apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    component: {component}\n    tier: control-plane\n"
            f"  name: {component}\n  namespace: kube-system\nspec:\n  hostNetwork: true\n")


def _is_control_plane(cluster: Any, name: str) -> bool:
    info = (getattr(cluster, "nodes_info", None) or {}).get(name) if cluster is not None else None
    if info is not None:
        return getattr(info, "role", "") == "control-plane"
    return name == "controlplane"


def _clock_seconds(lab: Any):
    cluster = getattr(lab, "cluster", None)
    clock = getattr(cluster, "clock", None)
    if clock is None:
        return lambda: 0.0
    return lambda: clock.seconds


def container_host(lab: Any, pod: dict, container: str | None = None) -> Host | None:
    """The host of a pod's container (first container by default); None if the image is unknown.

    Hosts are cached per container instance on the lab, so files written through one ``kubectl exec``
    are there for the next, and a restarted container starts from fresh files.
    """
    meta = pod.get("metadata", {})
    containers = pod.get("spec", {}).get("containers") or []
    cname = container or (containers[0].get("name") if containers else None)
    cluster = getattr(lab, "cluster", None)
    runtime = getattr(cluster, "runtime", None)
    rt = runtime.container(meta.get("uid", ""), cname) if runtime is not None and cname else None
    cache = getattr(lab, "_hosts", None)
    key = ("container", meta.get("uid", ""), meta.get("name", ""), cname, getattr(rt, "container_id", None))
    if cache is not None and key in cache:
        return cache[key]
    host = _build_container_host(lab, pod, cname, rt)
    if host is not None and cache is not None:
        cache[key] = host
    return host


def _build_container_host(lab: Any, pod: dict, container: str | None, rt: Any) -> Host | None:
    from sandbox.workloads import image_info

    spec = pod.get("spec", {})
    containers = spec.get("containers") or []
    cdef = next((c for c in containers if c.get("name") == container), None) if container else \
        (containers[0] if containers else None)
    if cdef is None:
        return None
    image = image_info(cdef.get("image", ""))
    if image is None:
        return None
    meta = pod.get("metadata", {})
    from sandbox.workloads.podfiles import pod_hostname

    hostname = rt.hostname if rt is not None else pod_hostname(pod)
    env = dict(rt.env) if rt is not None else dict(image.env)
    env.setdefault("HOSTNAME", hostname)
    env.setdefault("HOME", image.home)
    distro = "debian" if image.os_release and ("ID=debian" in image.os_release or "ID=ubuntu" in image.os_release) \
        else "alpine"
    binaries = set(image.binaries) | (BUILTINS if image.shell else set())
    status = pod.get("status", {})
    now = _clock_seconds(lab)

    def build(host: Host) -> VirtualFS:
        if rt is not None:
            existing = getattr(rt, "_kubelab_fs", None)
            if existing is None:
                existing = ContainerFS(rt, now)
                rt._kubelab_fs = existing
                existing._mirroring = True
                try:
                    install_binaries(existing, host)
                finally:
                    existing._mirroring = False
            return existing
        fs = VirtualFS(now)
        for path, text in image.files.items():
            fs.add_file(path, text)
        install_binaries(fs, host)
        return fs

    return Host(
        kind="container", name=meta.get("name", ""), hostname=hostname, shell_flavour=_os_flavour(image.shell),
        binaries=binaries, user=image.user, home=image.home, fs_factory=build, env=env,
        source_info={"kind": "pod", "node": spec.get("nodeName", ""), "ip": status.get("podIP", ""),
                     "pod": meta.get("name"), "namespace": meta.get("namespace", "default"), "distro": distro,
                     "bash_ps1_default": image.repository.endswith("bretfisher/netshoot"),
                     "container_id": getattr(rt, "container_id", None), "pod_uid": meta.get("uid", "")},
        node=spec.get("nodeName"), pod=pod, container=cdef["name"],
    )


def _root_dirs(image: Any) -> tuple[str, ...]:
    """The top-level directories of an image's root filesystem (what ``ls /`` shows)."""
    release = getattr(image, "os_release", None) or ""
    if "ID=debian" in release or "ID=ubuntu" in release:
        return ("/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/media", "/mnt", "/opt", "/proc",
                "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr/bin", "/usr/sbin", "/usr/share", "/var/log")
    if "ID=alpine" in release:
        return ("/bin", "/dev", "/etc", "/home", "/lib", "/media", "/mnt", "/opt", "/proc", "/root", "/run",
                "/sbin", "/srv", "/sys", "/tmp", "/usr/bin", "/usr/sbin", "/var")
    if getattr(image, "shell", None) is None:
        return ("/dev", "/etc", "/proc", "/sys")
    return ("/bin", "/dev", "/etc", "/home", "/lib", "/lib64", "/proc", "/root", "/sys", "/tmp", "/usr/sbin", "/var")


class ContainerFS(VirtualFS):
    """A container's files: built from the runtime's dict and kept in step with it both ways."""

    def __init__(self, rt: Any, now) -> None:
        super().__init__(now)
        self.rt = rt
        self._mirroring = True  # while True, writes are not sent back to the runtime
        for d in _root_dirs(getattr(rt, "image", None)):
            self.add_dir(d)
        for d in sorted(getattr(rt, "dirs", ()) or ()):
            self.add_dir(d)
        for path, text in sorted(rt.files.items()):
            VirtualFS.add_file(self, path, text)
        home = getattr(getattr(rt, "image", None), "home", None)
        if home:
            self.add_dir(home)
        workdir = getattr(getattr(rt, "image", None), "workdir", None)
        if workdir:
            self.add_dir(workdir)
        self._orig_write = rt.write_file
        self._orig_remove = rt.remove_file
        self._orig_mkdir = rt.make_dir
        rt.write_file = self._rt_write
        rt.remove_file = self._rt_remove
        rt.make_dir = self._rt_mkdir
        self._mirroring = False

    # the container's own writes (its program, the kubelet) land here too
    def _rt_write(self, path: str, text: str) -> None:
        self._orig_write(path, text)
        p = posixpath.normpath("/" + path.lstrip("/"))
        self._mirroring = True
        try:
            VirtualFS.add_file(self, p, text)
        except Exception:  # noqa: BLE001 - a program's write into a file path clash keeps the runtime copy
            pass
        finally:
            self._mirroring = False

    def _rt_remove(self, path: str) -> bool:
        ok = self._orig_remove(path)
        p = posixpath.normpath("/" + path.lstrip("/"))
        if self.is_file(p):
            VirtualFS.remove(self, p)
        return ok

    def _rt_mkdir(self, path: str) -> None:
        self._orig_mkdir(path)
        self._mirroring = True
        try:
            self.add_dir(posixpath.normpath("/" + path.lstrip("/")))
        finally:
            self._mirroring = False

    # the learner's writes go back to the runtime
    def write(self, path, text, *, append=False, display=None, mode=None) -> None:  # type: ignore[override]
        super().write(path, text, append=append, display=display, mode=mode)
        if self._mirroring:
            return
        self.rt.files[path] = self.read(path)
        mtimes = getattr(self.rt, "mtimes", None)
        if mtimes is not None:
            mtimes[path] = self.rt.clock.now.timestamp()

    def remove(self, path, *, recursive=False, display=None) -> None:  # type: ignore[override]
        under = self.walk(path) if self.exists(path) and not self._mirroring else []
        super().remove(path, recursive=recursive, display=display)
        for p in under:
            self.rt.files.pop(p, None)
            getattr(self.rt, "dirs", set()).discard(p)

    def mkdir(self, path, *, parents=False, display=None) -> None:  # type: ignore[override]
        super().mkdir(path, parents=parents, display=display)
        dirs = getattr(self.rt, "dirs", None)
        if dirs is not None and not self._mirroring:
            dirs.add(path)
