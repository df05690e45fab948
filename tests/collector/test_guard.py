"""The network guard: every non-public address form is refused, directly and on a redirect
hop, before any connection is attempted. Only loopback is ever dialled in these tests."""

from __future__ import annotations

import ipaddress

import pytest

from aiwire.collector.guard import (DENIED_HOST_NAMES, DENIED_NETWORKS, AddressPolicy,
                                    BlockedAddressError, classify, denied_name,
                                    literal_address)
from aiwire.collector.http import FetchError

# (URL host as an editor or attacker might write it, the reason the guard must give)
REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("2130706433", "loopback"),               # decimal
    ("0x7f000001", "loopback"),               # hex
    ("0x7f.1", "loopback"),                   # hex, short form
    ("0177.0.0.1", "loopback"),               # octal
    ("017700000001", "loopback"),             # octal, one number
    ("[::1]", "loopback"),
    ("[::ffff:127.0.0.1]", "loopback"),       # v4-mapped
    ("[::ffff:7f00:1]", "loopback"),          # v4-mapped, hex
    ("[2002:7f00:1::]", "loopback"),          # 6to4 wrapping 127.0.0.1
    ("[64:ff9b::a00:1]", "private"),          # NAT64 wrapping 10.0.0.1
    ("0.0.0.0", "unspecified"),
    ("0", "unspecified"),
    ("[::]", "unspecified"),
    ("10.0.0.1", "private"),
    ("012.0.0.1", "private"),                 # octal 10.0.0.1
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("3232235777", "private"),                # decimal 192.168.1.1
    ("[fc00::1]", "private"),
    ("[fd12:3456::1]", "private"),
    ("169.254.169.254", "cloud metadata"),
    ("0xa9fea9fe", "cloud metadata"),         # hex metadata
    ("2852039166", "cloud metadata"),         # decimal metadata
    ("0251.0376.0251.0376", "cloud metadata"),  # octal metadata
    ("[::ffff:169.254.169.254]", "cloud metadata"),
    ("169.254.170.2", "cloud metadata"),
    ("100.100.100.200", "cloud metadata"),
    ("[fd00:ec2::254]", "cloud metadata"),
    ("169.254.1.1", "link-local"),
    ("[fe80::1]", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("224.0.0.1", "multicast"),
    ("[ff02::1]", "multicast"),
    ("240.0.0.1", "private"),                 # reserved 240/4 (Python counts it private)
    ("255.255.255.255", "private"),           # broadcast
    ("198.18.0.1", "benchmarking"),           # RFC 2544 test networks
    # public addresses (is_global) that are still no place for a fetcher to go:
    ("168.63.129.16", "cloud metadata"),      # Azure wireserver
    ("0xa83f8110", "cloud metadata"),         # the same, in hex
    ("[::ffff:168.63.129.16]", "cloud metadata"),
    ("192.88.99.1", "6to4 relay anycast"),    # RFC 3068 relay anycast
    ("192.88.99.254", "6to4 relay anycast"),
    ("[2002:c058:6301::]", "6to4 relay anycast"),  # 6to4 wrapping 192.88.99.1
    ("192.0.0.8", "special-purpose"),         # IETF protocol assignments
    ("[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "teredo"),
    ("[fec0::1]", "site-local"),
]
PUBLIC = ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111",
          "::ffff:8.8.8.8", "64:ff9b::808:808"]


def test_at_least_25_forms():
    assert len(REFUSED) >= 25


@pytest.mark.parametrize("host, reason", REFUSED, ids=[h for h, _ in REFUSED])
def test_literal_forms_are_classified(host, reason):
    address = literal_address(host)
    assert address is not None, host
    assert classify(address) == reason


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses_pass(text):
    assert classify(ipaddress.ip_address(text)) is None


def test_the_public_metadata_and_relay_addresses_are_global_to_python():
    """Why they need their own entries: the ipaddress flags call them public."""
    for text in ("168.63.129.16", "192.88.99.1"):
        address = ipaddress.ip_address(text)
        assert address.is_global and not address.is_private
        assert classify(address) is not None


def test_every_denied_network_has_a_reason_and_is_refused_at_both_ends():
    for network, reason in DENIED_NETWORKS:
        assert reason
        assert classify(network[0]) == reason, network
        assert classify(network[-1]) == reason, network
    # the neighbours of the new public entries stay public
    assert classify(ipaddress.ip_address("168.63.129.15")) is None
    assert classify(ipaddress.ip_address("168.63.129.17")) is None
    assert classify(ipaddress.ip_address("192.88.98.255")) is None
    assert classify(ipaddress.ip_address("192.88.100.0")) is None


# (host name, refused?) metadata services reached by name, some at public addresses
NAMES = [
    ("metadata.packet.net", True),              # Equinix Metal: resolves to a public address
    ("METADATA.Packet.NET.", True),             # case and the trailing dot do not matter
    ("metadata.platformequinix.com", True),
    ("metadata.google.internal", True),
    ("metadata.goog", True),
    ("metadata", True),
    ("instance-data", True),
    ("instance-data.ec2.internal", True),
    ("metadata.tencentyun.com", True),
    ("v1.metadata.packet.net", True),           # a name under a denied one
    ("anything.internal", True),                # ICANN private-use TLD
    ("packet.net", False),
    ("notmetadata.packet.net", False),
    ("metadata.example.org", False),
    ("example.org", False),
    ("internal.example.org", False),
]


@pytest.mark.parametrize("host, refused", NAMES, ids=[h for h, _ in NAMES])
def test_metadata_host_names_are_denied_by_name(host, refused):
    assert (denied_name(host) is not None) is refused
    if refused:
        with pytest.raises(BlockedAddressError) as info:
            AddressPolicy().check_literal(host, 80)
        assert info.value.reason == "cloud metadata"
        assert "by name" in str(info.value)
    else:
        AddressPolicy().check_literal(host, 80)


def test_every_denied_name_has_a_reason():
    assert all(reason for reason in DENIED_HOST_NAMES.values())


def test_a_metadata_name_at_a_public_address_would_pass_the_address_check():
    """The reason for the name list: the address alone looks like any public site."""
    AddressPolicy().check("metadata.packet.net", 80, ["147.75.80.10"])
    with pytest.raises(BlockedAddressError):
        AddressPolicy().check_literal("metadata.packet.net", 80)
    AddressPolicy(allow_private=True).check_literal("metadata.packet.net", 80)


@pytest.mark.parametrize("host", ["example.org", "1.2.3.4.5", "0x1g", "256.1.1.1.1", "12ab",
                                  "09.1.1.1", "4294967296"])
def test_names_and_nonsense_are_not_literals(host):
    assert literal_address(host) is None


def test_inet_aton_short_forms():
    assert str(literal_address("10.1")) == "10.0.0.1"
    assert str(literal_address("10.1.2")) == "10.1.0.2"
    assert str(literal_address("4294967295")) == "255.255.255.255"


def test_one_bad_address_among_good_ones_refuses_the_host():
    with pytest.raises(BlockedAddressError) as info:
        AddressPolicy().check("mixed.example", 80, ["8.8.8.8", "10.0.0.1"])
    assert info.value.reason == "private" and info.value.address == "10.0.0.1"


def test_allowed_endpoint_exempts_exactly_one_port():
    policy = AddressPolicy(allowed=frozenset({"127.0.0.1:8080"}))
    policy.check("127.0.0.1", 8080, ["127.0.0.1"])
    with pytest.raises(BlockedAddressError):
        policy.check("127.0.0.1", 8081, ["127.0.0.1"])
    with pytest.raises(BlockedAddressError):
        policy.check("localhost", 8080, ["::1"])


def test_allow_private_networks_turns_the_guard_off():
    AddressPolicy(allow_private=True).check("x", 80, ["169.254.169.254", "10.0.0.1"])


# --- through the real client --------------------------------------------------------------

def _url(host: str, port: int) -> str:
    return f"http://{host}:{port}/feed.xml"


@pytest.mark.parametrize("host, reason", REFUSED, ids=[h for h, _ in REFUSED])
def test_client_refuses_before_connecting(server, fetch, host, reason):
    """The test server's own endpoint is exempt; any other form must never be dialled."""
    async def body(client):
        with pytest.raises(FetchError) as info:
            await client.fetch(_url(host, server.port + 1))
        return info.value, list(client.backend.dialled)
    error, dialled = fetch(server, body)
    assert f"{reason} address" in error.reason
    assert dialled == []
    assert server.log == []


@pytest.mark.parametrize("host, reason", REFUSED, ids=[h for h, _ in REFUSED])
def test_client_refuses_a_redirect_hop(server, fetch, host, reason):
    target = _url(host, server.port + 1)
    server.serve("/feed.xml", status=302, headers={"Location": target})

    async def body(client):
        with pytest.raises(FetchError) as info:
            await client.fetch(server.url("/feed.xml"))
        return info.value, list(client.backend.dialled)
    error, dialled = fetch(server, body)
    assert f"{reason} address" in error.reason
    assert {address for address, _ in dialled} <= {"127.0.0.1"}   # only the test server
    assert all(port == server.port for _, port in dialled)


@pytest.mark.parametrize("host", ["metadata.packet.net", "metadata.google.internal"])
def test_client_refuses_a_metadata_name_before_dns(server, fetch, monkeypatch, host):
    """No DNS query is made: the name alone is enough (offline, a lookup would fail with
    "cannot resolve" instead of the guard's reason)."""
    import socket
    looked_up = []
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda *a, **k: looked_up.append(a[0]) or real(*a, **k))

    async def body(client):
        direct = await _refused(client, f"http://{host}/computeMetadata/v1/")
        server.serve("/feed.xml", status=302, headers={"Location": f"http://{host}/"})
        hop = await _refused(client, server.url("/feed.xml"))
        return direct, hop, list(client.backend.dialled)
    direct, hop, dialled = fetch(server, body)
    for error in (direct, hop):
        assert "cloud metadata address" in error.reason and "by name" in error.reason
    assert host not in looked_up
    assert {address for address, _ in dialled} <= {"127.0.0.1"}


def test_a_name_resolving_to_loopback_is_refused(server, fetch):
    server.serve("/feed.xml", "<rss/>")

    async def body(client):
        with pytest.raises(FetchError) as info:
            await client.fetch(f"http://localhost:{server.port}/feed.xml")
        return info.value
    error = fetch(server, body, allowed_addresses=set())
    assert "refused localhost" in error.reason and "loopback address" in error.reason
    assert "allow_private_networks" in error.reason
    assert server.log == []


def test_the_checked_address_is_the_one_dialled(server, fetch):
    """A name is resolved once, checked, and the connection goes to that address."""
    server.serve("/feed.xml", "<rss/>")

    async def body(client):
        result = await client.fetch(f"http://localhost:{server.port}/feed.xml")
        return result, list(client.backend.dialled)
    result, dialled = fetch(server, body,
                            allowed_addresses={server.endpoint, f"[::1]:{server.port}"})
    assert result.content == b"<rss/>"
    assert ("127.0.0.1", server.port) in dialled
    assert {address for address, _ in dialled} <= {"127.0.0.1", "::1"}


def test_redirect_to_another_loopback_port_is_refused(make_server, fetch):
    allowed, other = make_server(), make_server()
    other.serve("/admin", "internal")
    allowed.serve("/feed.xml", status=301, headers={"Location": other.url("/admin")})
    error = fetch(allowed, lambda c: _refused(c, allowed.url("/feed.xml")))
    assert "loopback address" in error.reason
    assert other.log == []


def test_allow_private_networks_reaches_loopback(server, fetch):
    server.serve("/feed.xml", "<rss/>")
    result = fetch(server, lambda c: c.fetch(f"http://localhost:{server.port}/feed.xml"),
                   allowed_addresses=set(), allow_private_networks=True)
    assert result.content == b"<rss/>"


async def _refused(client, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        await client.fetch(url)
    return info.value
