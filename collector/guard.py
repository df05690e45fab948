"""The network guard: which addresses the fetcher may connect to.

Checked on resolved addresses, not on spellings, so ``0x7f.1``, ``2130706433`` and
``[::ffff:127.0.0.1]`` all end up as the loopback address they are and are refused.
Literal hosts are also read here (``literal_address``) because some spellings that the
C resolver accepts (``0177.0.0.1``) are rejected by httpx's URL parser before DNS, and
the editor should still see the guard's reason rather than "invalid URL".
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Every address range the guard refuses beyond what the ipaddress flags cover, with the
# reason an editor sees: the ONE place the guard keeps its ranges. Checked before the
# flags, in this order, so a metadata address says "cloud metadata", not "link-local".
DENIED_NETWORKS: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str]] = [
    # Instance metadata services hand out credentials to whoever asks from the machine.
    (ipaddress.ip_network("169.254.169.254/32"), "cloud metadata"),  # AWS, GCP, Azure, OCI
    (ipaddress.ip_network("169.254.170.2/32"), "cloud metadata"),    # AWS ECS task metadata
    (ipaddress.ip_network("100.100.100.200/32"), "cloud metadata"),  # Alibaba Cloud
    (ipaddress.ip_network("fd00:ec2::254/128"), "cloud metadata"),   # AWS over IPv6
    # Azure's wireserver: a PUBLIC address (is_global) that every Azure VM can reach and
    # that serves the VM agent's goal state, certificates and extension settings.
    (ipaddress.ip_network("168.63.129.16/32"), "cloud metadata"),
    # 6to4 relay anycast (RFC 3068, deprecated by RFC 7526): public on paper, but a
    # packet sent there is relayed into IPv6 by whichever relay is nearest, so where it
    # lands is not the host the URL names.
    (ipaddress.ip_network("192.88.99.0/24"), "6to4 relay anycast"),
    (ipaddress.ip_network("100.64.0.0/10"), "carrier-grade NAT"),
    (ipaddress.ip_network("192.0.0.0/24"), "special-purpose"),   # IETF protocol assignments
    (ipaddress.ip_network("198.18.0.0/15"), "benchmarking"),     # RFC 2544 test networks
    (ipaddress.ip_network("fec0::/10"), "site-local"),
]
# Metadata services reached by NAME, some of which resolve to public addresses no range
# above can know (Equinix Metal's metadata.packet.net does). Refused by name before any
# DNS query: a host equal to one of these, or under one of them.
DENIED_HOST_NAMES: dict[str, str] = {
    "metadata.google.internal": "GCP instance metadata",
    "metadata.goog": "GCP instance metadata",
    "metadata": "GCP instance metadata (short name)",
    "metadata.packet.net": "Equinix Metal metadata (a public address)",
    "metadata.platformequinix.com": "Equinix Metal metadata (a public address)",
    "metadata.tencentyun.com": "Tencent Cloud metadata",
    "instance-data": "AWS EC2 metadata (short name)",
    "instance-data.ec2.internal": "AWS EC2 metadata",
}
# Whole suffixes that never name a public site: ICANN reserved .internal for private use.
DENIED_HOST_SUFFIXES: dict[str, str] = {
    "internal": "private-use .internal name (cloud metadata and internal services)",
}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
_V4_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")


class BlockedAddressError(Exception):
    """The host resolves to an address the guard refuses."""

    def __init__(self, host: str, address: str, reason: str, *, by_name: str | None = None
                 ) -> None:
        what = (f"refused {host} by name ({by_name}): {reason} address"
                if by_name else f"refused {host} ({address}): {reason} address")
        super().__init__(f"{what}; set allow_private_networks: true only for local testing")
        self.host, self.address, self.reason = host, address, reason


def classify(address: IPAddress) -> str | None:
    """Return why ``address`` is refused, or None if it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return classify(embedded)
        if address.teredo:
            return "teredo"
    for network, reason in DENIED_NETWORKS:
        if address.version == network.version and address in network:
            return reason
    checks = [
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ]
    for reason, hit in checks:
        if hit:
            return reason
    if not address.is_global:
        return "non-global"
    return None


def denied_name(host: str) -> str | None:
    """Why a host NAME is refused before DNS (a metadata service), or None.

    Case, a trailing dot and subdomains make no difference: ``Metadata.Google.Internal.``
    and ``x.metadata.packet.net`` are refused like the names themselves.
    """
    name = host.strip().strip("[]").rstrip(".").lower()
    labels = name.split(".")
    for cut in range(len(labels)):
        suffix = ".".join(labels[cut:])
        if suffix in DENIED_HOST_NAMES:
            return DENIED_HOST_NAMES[suffix]
    return DENIED_HOST_SUFFIXES.get(labels[-1])


def literal_address(host: str) -> IPAddress | None:
    """The address a literal host spells, in every form a C resolver accepts.

    ``127.1``, ``0x7f.0.0.1``, ``0177.0.0.1``, ``2130706433`` and ``[::1]`` are all
    literals; a name (``example.org``) returns None and is checked after DNS instead.
    """
    text = host.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_V4_PART.match(p) for p in parts):
        return None
    values = []
    for part in parts:
        if part[:2].lower() == "0x":
            values.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part[0] == "0":
            values.append(int(part, 8))
        else:
            values.append(int(part))
    # inet_aton: every part but the last is one byte; the last fills what is left.
    head, last = values[:-1], values[-1]
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for value in head:
        number = number << 8 | value
    number = number << 8 * (4 - len(head)) | last
    return ipaddress.IPv4Address(number)


def address_key(address: str, port: int) -> str:
    """``127.0.0.1:8080`` or ``[::1]:8080``: how an exempted endpoint is written."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return f"[{ip.compressed}]:{port}" if ip.version == 6 else f"{ip}:{port}"


@dataclass(frozen=True)
class AddressPolicy:
    """What may be dialled.

    ``allowed`` is a test hook: exact ``address:port`` endpoints exempted from the
    guard, so a test server on 127.0.0.1 is reachable while every other loopback port,
    private network and metadata address stays refused.
    """

    allow_private: bool = False
    allowed: frozenset[str] = field(default_factory=frozenset)

    def check(self, host: str, port: int, addresses: list[str]) -> None:
        """Refuse ``host`` if ANY of its addresses is non-public (no mixed-answer bypass)."""
        if self.allow_private:
            return
        if not addresses:
            raise BlockedAddressError(host, "-", "unresolvable")
        for text in addresses:
            if address_key(text, port) in self.allowed:
                continue
            reason = classify(ipaddress.ip_address(text.split("%", 1)[0]))
            if reason:
                raise BlockedAddressError(host, text, reason)

    def check_literal(self, host: str, port: int) -> None:
        """Refuse a metadata host name or a literal address before any DNS or connection."""
        if self.allow_private:
            return
        why = denied_name(host)
        if why is not None:
            raise BlockedAddressError(host, "-", "cloud metadata", by_name=why)
        address = literal_address(host)
        if address is not None:
            self.check(host, port, [str(address)])


def resolve(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (literal IPs in any spelling included)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = info[4][0].split("%", 1)[0]
        if address not in seen:
            seen.append(address)
    return seen


def check_addresses(host: str, addresses: list[str]) -> None:
    """Refuse the host if ANY of its addresses is non-public."""
    AddressPolicy().check(host, 0, addresses)
