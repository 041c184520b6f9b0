"""Client tools that use the data plane and DNS: curl, wget, nslookup, dig, host, getent.

:data:`TOOLS` maps each command to its entry point for the shell's command table.
"""

TOOLS: dict[str, str] = {
    "curl": "sandbox.network.clients.curl:curl",
    "wget": "sandbox.network.clients.wget:wget",
    "nslookup": "sandbox.network.clients.dnsclients:nslookup",
    "dig": "sandbox.network.clients.dnsclients:dig",
    "host": "sandbox.network.clients.dnsclients:host",
    "getent": "sandbox.network.clients.dnsclients:getent",
}
