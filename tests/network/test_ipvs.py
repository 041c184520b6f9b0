"""The IPVS kernel side: schedulers (ipvs.md §5), connection table and counters, stats and rates."""

from __future__ import annotations

import random

import pytest

from sandbox.network.addresses import PodIPAM, node_ip_for, pod_cidr_for
from sandbox.network.ipvs import IpvsTable


def table_with(dests: list[tuple[str, int, int]], sched: str = "rr", *, persistent: bool = False,
               timeout: int = 0) -> tuple[IpvsTable, object]:
    t = IpvsTable("n")
    vs = t.add_service("TCP", "10.96.0.50", 80, sched, persistent=persistent, timeout=timeout)
    for addr, port, w in dests:
        vs.add_dest(addr, port, w)
    return t, vs


def picks(t: IpvsTable, n: int, client: str = "10.244.1.9", now: float = 0.0) -> list[str]:
    out = []
    for i in range(n):
        o = t.open("TCP", client, 40000 + i, "10.96.0.50", 80, now)
        out.append(o.dest.addr if o.dest else None)
        if o.conn is not None:
            t.close(o.conn, now)
    return out


# ---- addresses ---------------------------------------------------------------------------------------
def test_default_node_layout() -> None:
    assert [node_ip_for(i) for i in range(3)] == ["172.30.1.2", "172.30.2.2", "172.30.3.2"]
    assert [pod_cidr_for(i) for i in range(3)] == ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]


def test_ipam_is_deterministic_and_stays_in_the_node_cidr() -> None:
    def run(seed: int) -> list[str]:
        ipam = PodIPAM(random.Random(seed))
        ipam.add_node("node01", "10.244.1.0/24")
        return [ipam.allocate("node01") for _ in range(50)]

    a = run(7)
    assert a == run(7)
    assert len(set(a)) == 50
    assert all(ip.startswith("10.244.1.") and 2 <= int(ip.rsplit(".", 1)[1]) <= 254 for ip in a)


def test_ipam_release_and_exhaustion() -> None:
    ipam = PodIPAM(random.Random(1))
    ipam.add_node("n", "10.244.9.0/29")  # hosts .2 .. .6
    got = {ipam.allocate("n") for _ in range(5)}
    assert got == {f"10.244.9.{i}" for i in range(2, 7)}
    with pytest.raises(RuntimeError, match="no IP addresses available"):
        ipam.allocate("n")
    ipam.release("10.244.9.4")
    assert ipam.allocate("n") == "10.244.9.4"
    assert ipam.node_of("10.244.9.200") is None and ipam.node_of("10.244.9.3") == "n"


# ---- schedulers --------------------------------------------------------------------------------------
def test_rr_first_pick_is_the_last_added_then_strict_cycle() -> None:
    t, vs = table_with([(f"10.244.1.{i}", 80, 1) for i in range(1, 6)])
    # head insertion: list order is .5 .4 .3 .2 .1
    assert [d.addr for d in vs.dests] == [f"10.244.1.{i}" for i in (5, 4, 3, 2, 1)]
    seq = picks(t, 10)
    assert seq[:5] == [f"10.244.1.{i}" for i in (5, 4, 3, 2, 1)]
    assert seq[5:] == seq[:5]


def test_rr_removing_the_cursor_continues_with_the_next_survivor() -> None:
    t, vs = table_with([("10.0.0.1", 80, 1), ("10.0.0.2", 80, 1), ("10.0.0.3", 80, 1)])
    assert picks(t, 2) == ["10.0.0.3", "10.0.0.2"]  # cursor on .2
    vs.del_dest("10.0.0.2", 80)
    assert picks(t, 3) == ["10.0.0.1", "10.0.0.3", "10.0.0.1"]


def test_rr_skips_weight_zero_and_no_dest_means_none() -> None:
    t, vs = table_with([("10.0.0.1", 80, 1), ("10.0.0.2", 80, 0)])
    assert picks(t, 3) == ["10.0.0.1"] * 3
    vs.edit_dest("10.0.0.1", 80, 0)
    assert picks(t, 1) == [None]


def test_wrr_follows_weights() -> None:
    t, vs = table_with([("10.0.0.1", 80, 1), ("10.0.0.2", 80, 3)], "wrr")
    seq = picks(t, 8)
    assert seq.count("10.0.0.2") == 6 and seq.count("10.0.0.1") == 2
    # ip_vs_wrr_dest_changed kept cw=1 from the first (weight 1) destination, so the first pass
    # takes every server, then the weight-3 server gets three turns per cycle
    assert seq == ["10.0.0.2", "10.0.0.1", "10.0.0.2", "10.0.0.2", "10.0.0.2", "10.0.0.1", "10.0.0.2", "10.0.0.2"]


def test_wrr_with_equal_weights_is_rr() -> None:
    t1, _ = table_with([(f"10.0.0.{i}", 80, 1) for i in range(1, 4)], "wrr")
    t2, _ = table_with([(f"10.0.0.{i}", 80, 1) for i in range(1, 4)], "rr")
    assert picks(t1, 7) == picks(t2, 7)


def test_lc_counts_active_256_times_inactive() -> None:
    t, vs = table_with([("10.0.0.1", 80, 1), ("10.0.0.2", 80, 1)], "lc")
    # keep one connection open on .2 (the head) -> lc avoids it while it is active
    o = t.open("TCP", "10.244.1.9", 1000, "10.96.0.50", 80, 0.0)
    assert o.dest.addr == "10.0.0.2" and o.dest.active == 1
    assert picks(t, 3) == ["10.0.0.1", "10.0.0.1", "10.0.0.1"]  # 1 active (256) > 3 inactive


def test_wlc_sed_nq() -> None:
    t, vs = table_with([("10.0.0.1", 80, 1), ("10.0.0.2", 80, 2)], "wlc")
    assert picks(t, 1) == ["10.0.0.2"]
    for name in ("sed", "nq"):
        t, vs = table_with([("10.0.0.1", 80, 1), ("10.0.0.2", 80, 1)], name)
        a = t.open("TCP", "c", 1, "10.96.0.50", 80, 0.0)
        b = t.open("TCP", "c", 2, "10.96.0.50", 80, 0.0)
        assert {a.dest.addr, b.dest.addr} == {"10.0.0.1", "10.0.0.2"}  # the idle one next


def test_sh_pins_clients_and_dh_pins_the_vip() -> None:
    t, _ = table_with([(f"10.0.0.{i}", 80, 1) for i in range(1, 6)], "sh")
    for client in ("10.244.1.7", "10.244.2.9", "172.30.1.2"):
        assert len(set(picks(t, 6, client))) == 1
    assert len({picks(t, 1, f"10.244.1.{i}")[0] for i in range(1, 60)}) > 1
    t, _ = table_with([(f"10.0.0.{i}", 80, 1) for i in range(1, 6)], "dh")
    assert len({picks(t, 1, f"10.244.1.{i}")[0] for i in range(1, 30)}) == 1


# ---- connections, counters, persistence ---------------------------------------------------------------
def test_closed_connection_is_time_wait_inactive_for_two_minutes() -> None:
    t, vs = table_with([("10.0.0.1", 80, 1)])
    o = t.open("TCP", "10.244.1.9", 41234, "10.96.0.50", 80, 10.0)
    d = o.dest
    assert (d.active, d.inactive) == (1, 0)
    t.close(o.conn, 10.0)
    assert (d.active, d.inactive) == (0, 1)
    assert o.conn.state == "TIME_WAIT" and o.conn.expires == 130.0
    t.purge(129.9)
    assert d.inactive == 1
    t.purge(130.0)
    assert (d.active, d.inactive) == (0, 0) and len(t.conns) == 0


def test_udp_entries_are_inactive_for_five_minutes_and_reused_by_the_same_socket() -> None:
    t = IpvsTable("n")
    vs = t.add_service("UDP", "10.96.0.10", 53)
    vs.add_dest("10.244.0.2", 53)
    vs.add_dest("10.244.0.3", 53)
    a = t.open("UDP", "10.244.1.9", 5000, "10.96.0.10", 53, 0.0)
    b = t.open("UDP", "10.244.1.9", 5000, "10.96.0.10", 53, 1.0)
    assert b.reused and b.dest is a.dest and a.dest.inactive == 1
    assert a.conn.state == "UDP" and a.conn.expires == 301.0


def test_keep_alive_connection_keeps_its_server_even_at_weight_zero() -> None:
    t, vs = table_with([("10.0.0.1", 80, 1), ("10.0.0.2", 80, 1)])
    o = t.open("TCP", "c", 999, "10.96.0.50", 80, 0.0)
    vs.edit_dest(o.dest.addr, 80, 0)
    again = t.open("TCP", "c", 999, "10.96.0.50", 80, 5.0)
    assert again.reused and again.dest is o.dest


def test_persistence_templates_pin_a_client_and_expire() -> None:
    t, vs = table_with([(f"10.0.0.{i}", 80, 1) for i in range(1, 4)], persistent=True, timeout=60)
    assert len(set(picks(t, 5, "10.244.1.9"))) == 1
    other = picks(t, 1, "10.244.2.9")[0]
    tmpl = t.conns.entries[("TCP", "10.244.1.9", 0, "10.96.0.50", 80)]
    assert tmpl.template and tmpl.state == "NONE" and tmpl.dest.persist == 1
    assert other is not None
    # quiescent template (weight 0) is dropped: the client is rescheduled
    vs.edit_dest(tmpl.dest.addr, 80, 0)
    assert picks(t, 1, "10.244.1.9")[0] != tmpl.dest.addr


def test_stats_and_rate_estimator() -> None:
    t, vs = table_with([("10.0.0.1", 80, 1)])
    for i in range(10):
        o = t.open("TCP", "c", i + 1, "10.96.0.50", 80, 0.5)
        t.account(o, 0.5, 6, 4, 500, 1200)
        t.close(o.conn, 0.5)
    s = vs.stats
    assert (s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes) == (10, 60, 40, 5000, 12000)
    cps, inpps, outpps, inbps, outbps = vs.stats.rates(2.0)
    # one estimator tick (ip_vs_est.c): 10 conns in 2 s = 5/s, EWMA weight 1/4 -> 1.25 -> 1;
    # 60 packets -> 30/s -> 7.5 -> 7 (the kernel rounds (x + 0x1FF) >> 10)
    assert (cps, inpps, outpps) == (1, 7, 5)
    assert inbps == 625 and outbps == 1500
    assert vs.stats.rates(600.0) == (0, 0, 0, 0, 0)
