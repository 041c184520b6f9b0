"""Which commands each image family ships (pod-tools.md §1): a shell resolves commands from these."""

from __future__ import annotations

#: BusyBox `make defconfig` applets (docker-library/busybox glibc/musl/uclibc builds).
BUSYBOX = frozenset("""
[ [[ addgroup adduser arch arp arping ash awk base32 base64 basename bc blkid bunzip2 bzcat bzip2 cal
cat chgrp chmod chown chroot cksum clear cmp comm cp cpio crond crontab cut date dc dd delgroup deluser
df diff dirname dmesg dnsd dnsdomainname dos2unix du echo ed egrep env expand expr factor fallocate false
fgrep find fold free fsync ftpget ftpput fuser getopt grep groups gunzip gzip halt hd head hexdump hostid
hostname httpd id ifconfig ip ipcalc kill killall less link ln logger login logname ls lsof lzcat md5sum
mkdir mkfifo mknod mktemp more mount mountpoint mv nc netstat nice nl nohup nproc nslookup od passwd
paste patch pidof ping ping6 pipe_progress printenv printf ps pwd readlink realpath renice reset rev rm
rmdir route run-parts sed seq setsid sh sha1sum sha256sum sha512sum shred sleep sort split stat strings
stty su sum sync sysctl tac tail tar tee telnet test tftp time timeout top touch tr traceroute
traceroute6 true truncate tty udhcpc umount uname uniq unix2dos unlink unxz unzip uptime usleep
uudecode uuencode vi watch wc wget which who whoami xargs xxd xz xzcat yes zcat
""".split())

#: Alpine's busybox build plus apk and the musl/alpine-baselayout extras.
ALPINE = (BUSYBOX - {"httpd", "dnsd", "ed", "bc", "dc"}) | frozenset({"apk", "getent", "scanelf", "ssl_client"})

#: Debian/Ubuntu base: bash, dash as sh, coreutils, findutils, grep, sed, mawk, apt, util-linux basics.
#: No ps, ip, ping, nslookup, wget, curl, nc (pod-tools.md §1 "ubuntu").
DEBIAN = frozenset("""
bash sh dash [ arch awk mawk base32 base64 basename cat chgrp chmod chown chroot cksum comm cp csplit cut
date dd df dir dircolors dirname du echo env expand expr factor false find fmt fold getent grep egrep
fgrep groups gunzip gzip head hostid hostname id install join kill link ln logname ls md5sum mkdir
mkfifo mknod mktemp more mount mv nice nl nohup nproc numfmt od paste pathchk pr printenv printf ptx pwd
readlink realpath rm rmdir runcon sed seq sha1sum sha256sum sha512sum shred shuf sleep sort split stat
stty su sum sync tac tail tar tee test timeout touch tr true truncate tsort tty umount uname unexpand
uniq unlink users vdir wc who whoami xargs yes zcat apt apt-get apt-cache dpkg dpkg-query login
passwd su mesg script
""".split())

#: Tools netshoot installs on top of alpine (nicolaka/netshoot:Dockerfile).
NETSHOOT_EXTRA = frozenset("""
bash zsh curl dig nslookup host drill nc ncat socat ping tcpdump tshark nmap jq http https conntrack
ipvsadm iptables iptables-save iptables-legacy ip6tables nft ipset mtr ss ip bridge ethtool iperf
iperf3 strace ltrace vim fping grpcurl openssl tcptraceroute traceroute arping netstat ifconfig
route ctop calicoctl termshark swaks websocat speedtest-cli file git
""".split())

#: agnhost's alpine base adds bash, curl, netcat-openbsd, bind-tools and iproute2.
AGNHOST_EXTRA = frozenset({"agnhost", "bash", "curl", "nc", "dig", "nslookup", "host", "ip", "ss"})

#: jessie-dnsutils: debian jessie + dnsutils + iputils-ping + netcat.
DNSUTILS_EXTRA = frozenset({"dig", "nslookup", "host", "nsupdate", "ping", "ping6", "nc", "ps", "wget"})
