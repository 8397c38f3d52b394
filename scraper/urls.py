"""URL canonicalisation: every variant of an article's URL maps to one key."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

#: Query parameters that only say where a click came from. Dropping them never
#: changes which document a URL points to.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mtype",
        "ncid",
        "cmpid",
        "spm",
        "ref_src",
        "ref_url",
        "amp",
        "outputtype",
        "source",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "mkt_")

#: Query switches that ask for a whole multi-page article on one page. They
#: never name a different document, so the archive key ignores them.
WHOLE_ARTICLE_PARAMS = {"page": "all", "single": "1", "showall": "1"}

_AMP_PATH = re.compile(r"(?:/amp)+(/?)$|^/amp(?=/)", re.I)
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|mobile|amp)\.", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
HTTP_SCHEMES = ("http", "https")


def is_http(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only kind arsip fetches."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.hostname)


def host_of(url: str) -> str:
    """The lower-case host of a URL without port ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def port_of(url: str) -> int | None:
    """The URL's port when it is not its scheme's default (None for 80 on
    http, 443 on https, or none given): http and https on the default ports
    are one site, another port is another server."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if port is None or port in _DEFAULT_PORTS.values():
        return None
    return port


def origin(host: str, port: int | None) -> str:
    """ "host" or "host:port" ("[v6]:port"): one entry of a site's domains."""
    if port is None:
        return host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def split_origin(entry: str) -> tuple[str, int | None]:
    """(host, port or None) of a domains entry made by `origin`."""
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    host, sep, port = entry.rpartition(":")
    if sep and host and ":" not in host and port.isdigit():
        return host, int(port)
    return entry, None


def in_domains(url: str, domains: tuple[str, ...] | list[str]) -> bool:
    """The URL's host is one of the domains or a subdomain of one, on the port
    that entry names (an entry without a port: the default ports only)."""
    host = host_of(url)
    if not host:
        return False
    port = port_of(url)
    for entry in domains:
        name, want = split_origin(entry)
        if want == port and (host == name or host.endswith("." + name)):
            return True
    return False


def _drop_params(url: str, switch: str | None) -> str:
    query = urlsplit(url).query
    if not query:
        return url
    drop = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        low = name.lower()
        if (
            low in TRACKING_PARAMS
            or low.startswith(_TRACKING_PREFIXES)
            or WHOLE_ARTICLE_PARAMS.get(low) == value.lower()
            or (switch and f"{name}={value}" == switch)
        ):
            drop.append(name)
    if not drop:
        return url
    return url_query_cleaner(url, drop, remove=True, unique=False, keep_fragments=False)


@lru_cache(maxsize=65_536)  # menus repeat the same links on every page of a crawl
def canonicalize(url: str, switch: str | None = None) -> str:
    """The clean URL to store and show: still a real, working URL.

    Drops fragments, tracking parameters (utm_*, fbclid, gclid, ...), the
    generic whole-article switches (`page=all`, `single=1`) and, when given, the
    site's own switch (a query like "page=all" or a path suffix like "/all");
    removes `/amp` path parts and an `amp.` host; lower-cases scheme and host
    and drops default ports. Keeps scheme, host (www./m.) and trailing slash.
    """
    url = url.strip()
    if not is_http(url):
        return url
    url = canonicalize_url(url, keep_fragments=False)
    url = _drop_params(url, switch if switch and "=" in switch else None)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("amp."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = _AMP_PATH.sub(lambda m: m.group(1) or "", parts.path) or "/"
    if switch and switch.startswith("/") and path.rstrip("/").endswith(switch.rstrip("/")):
        path = path.rstrip("/")[: -len(switch.rstrip("/"))] or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


@lru_cache(maxsize=65_536)
def url_key(url: str, switch: str | None = None) -> str:
    """The identity of a URL: variants (http/https, www./m. hosts, trailing
    slash, default ports, host case, tracking, /amp) give the same key."""
    clean = canonicalize(url, switch)
    if not is_http(clean):
        return clean
    parts = urlsplit(clean)
    host = _HOST_PREFIX.sub("", parts.netloc.lower())
    path = parts.path.rstrip("/") or ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def with_switch(url: str, switch: str) -> str:
    """The URL asking the site for the whole article ("page=all" or "/all")."""
    parts = urlsplit(url)
    if switch.startswith("/"):
        return urlunsplit(parts._replace(path=parts.path.rstrip("/") + switch, fragment=""))
    query = f"{parts.query}&{switch}" if parts.query else switch
    return urlunsplit(parts._replace(query=query, fragment=""))
