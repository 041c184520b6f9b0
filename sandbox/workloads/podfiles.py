"""Files the kubelet and the runtime generate inside every container: resolv.conf, hosts, hostname."""

from __future__ import annotations

CLUSTER_DOMAIN = "cluster.local"
CLUSTER_DNS = "10.96.0.10"
#: The nodes' own resolver (what dnsPolicy Default and host-network pods inherit).
NODE_RESOLV_CONF = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n"

HOSTS_HEADER = "# Kubernetes-managed hosts file.\n"
HOSTS_HEADER_HOSTNET = "# Kubernetes-managed hosts file (host network).\n"
HOSTS_DEFAULTS = ("127.0.0.1\tlocalhost\n"
                  "::1\tlocalhost ip6-localhost ip6-loopback\n"
                  "fe00::0\tip6-localnet\n"
                  "fe00::0\tip6-mcastprefix\n"
                  "fe00::1\tip6-allnodes\n"
                  "fe00::2\tip6-allrouters\n")


def pod_hostname(pod: dict) -> str:
    """spec.hostname or the pod name, truncated to 63 characters without a trailing ``-``/``.``."""
    spec = pod.get("spec", {})
    if spec.get("hostNetwork") and spec.get("nodeName"):
        return spec["nodeName"]
    name = spec.get("hostname") or pod["metadata"]["name"]
    if len(name) > 63:
        name = name[:63].rstrip("-.")
    return name


def pod_fqdn(pod: dict, domain: str = CLUSTER_DOMAIN) -> str:
    """``hostname -f``: ``<hostname>.<subdomain>.<ns>.svc.<zone>`` when a subdomain is set."""
    host = pod_hostname(pod)
    sub = pod.get("spec", {}).get("subdomain")
    if sub:
        return f"{host}.{sub}.{pod['metadata'].get('namespace', 'default')}.svc.{domain}"
    return host


def _parse_resolv(text: str) -> tuple[list[str], list[str], list[str]]:
    servers, searches, options = [], [], []
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith(("#", ";")):
            continue
        if parts[0] == "nameserver" and len(parts) > 1:
            servers.append(parts[1])
        elif parts[0] in ("search", "domain"):
            searches = parts[1:]
        elif parts[0] == "options":
            options += parts[1:]
    return servers, searches, options


def _merge_options(base: list[str], extra: list[dict]) -> list[str]:
    opts: dict[str, str] = {}
    for o in base:
        name, _, val = o.partition(":")
        opts[name] = o
    for o in extra:
        name = o.get("name", "")
        if not name:
            continue
        opts[name] = f"{name}:{o['value']}" if o.get("value") is not None else name
    return list(opts.values())


def resolv_conf(pod: dict, *, cluster_dns: str = CLUSTER_DNS, domain: str = CLUSTER_DOMAIN,
                node_resolv: str = NODE_RESOLV_CONF) -> str:
    """/etc/resolv.conf per dnsPolicy (pkg/kubelet/network/dns/dns.go), in containerd's line order."""
    spec = pod.get("spec", {})
    ns = pod["metadata"].get("namespace", "default")
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    host_net = bool(spec.get("hostNetwork"))
    if policy == "ClusterFirst" and host_net:
        policy = "Default"
    if policy == "ClusterFirstWithHostNet":
        policy = "ClusterFirst"
    node_servers, node_search, node_opts = _parse_resolv(node_resolv)
    if policy == "ClusterFirst":
        servers = [cluster_dns]
        searches = [f"{ns}.svc.{domain}", f"svc.{domain}", domain] + node_search
        options = ["ndots:5"]
    elif policy == "None":
        servers, searches, options = [], [], []
    else:   # Default
        servers, searches, options = node_servers, node_search, node_opts
    cfg = spec.get("dnsConfig") or {}
    for s in cfg.get("nameservers") or []:
        if s not in servers:
            servers.append(s)
    for s in cfg.get("searches") or []:
        if s not in searches:
            searches.append(s)
    options = _merge_options(options, cfg.get("options") or [])
    servers = servers[:3]
    searches = searches[:32]
    lines = []
    if searches:
        lines.append("search " + " ".join(searches))
    lines += [f"nameserver {s}" for s in servers]
    if options:
        lines.append("options " + " ".join(options))
    return "".join(line + "\n" for line in lines)


def etc_hosts(pod: dict, pod_ips: list[str], *, domain: str = CLUSTER_DOMAIN, node_hosts: str | None = None
              ) -> str:
    """/etc/hosts as the kubelet writes it (managedHostsFileContent)."""
    spec = pod.get("spec", {})
    if spec.get("hostNetwork"):
        return HOSTS_HEADER_HOSTNET + (node_hosts if node_hosts is not None else HOSTS_DEFAULTS)
    out = [HOSTS_HEADER, HOSTS_DEFAULTS]
    host = pod_hostname(pod)
    sub = spec.get("subdomain")
    for ip in pod_ips:
        if sub:
            fq = f"{sub}.{pod['metadata'].get('namespace', 'default')}.svc.{domain}"
            out.append(f"{ip}\t{host}.{fq}\t{host}\n")
        else:
            out.append(f"{ip}\t{host}\n")
    aliases = spec.get("hostAliases") or []
    if aliases:
        out.append("\n# Entries added by HostAliases.\n")
        for a in aliases:
            out.append(f"{a.get('ip', '')}\t" + "\t".join(a.get("hostnames") or []) + "\n")
    return "".join(out)


def etc_hostname(pod: dict) -> str:
    return pod_hostname(pod) + "\n"
