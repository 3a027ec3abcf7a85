"""massgen.providers: the one provider table and its lookups (names, keys, servers), read by everything.

The backend factory, the config checks, the media limits, the generation registry, the default team
and the UI all read `PROVIDERS`; nothing else keeps a table keyed by provider name. Pure data, no SDK
imports. Key values are only ever returned to the caller, never put in a message.
"""

from __future__ import annotations

import os
from typing import Mapping
from urllib.parse import urlsplit

from .provider import Provider
from .table import GENERIC, PRIORITY, PROVIDERS

__all__ = ["GENERIC", "PRIORITY", "PROVIDERS", "Provider", "api_key", "by_host", "chat_names", "chat_provider",
           "chat_types", "get", "missing_key_message", "needs_key"]


def _index() -> dict[str, Provider]:
    """Every name and alias (lower case) -> its provider; a name given twice is a mistake in the table."""
    index: dict[str, Provider] = {}
    for provider in PROVIDERS.values():
        for name in (provider.name, *provider.aliases):
            if index.setdefault(name.lower(), provider) is not provider:
                raise RuntimeError(f"provider table: {name!r} names both {index[name.lower()].name} and {provider.name}")
    return index


_BY_NAME = _index()


def get(name: str) -> Provider | None:
    """The provider a name or alias stands for (case-insensitive), or None."""
    return _BY_NAME.get(str(name).strip().lower())


def chat_types() -> list[str]:
    """The `backend.type` names a config may give (aliases aside), sorted."""
    return sorted(p.name for p in PROVIDERS.values() if p.chat_class)


def chat_names() -> list[str]:
    """Every `backend.type` name and alias, for did-you-mean."""
    return sorted({n for p in PROVIDERS.values() if p.chat_class for n in (p.name, *p.aliases)})


def chat_provider(type_name: str, base_url: str | None = None) -> Provider:
    """The provider serving a `backend.type` (or alias); ValueError lists the known types.

    A generic OpenAI-compatible type whose `base_url` is a known provider's host is that provider,
    so its key variable is looked up.
    """
    provider = get(type_name)
    if provider is None or provider.chat_class is None:
        raise ValueError(f"backend type {type_name!r} is not one of: {', '.join(chat_types())}")
    if provider.name == GENERIC and base_url:
        return by_host(base_url) or provider
    return provider


def by_host(base_url: str) -> Provider | None:
    """The provider whose host (or a subdomain of it) `base_url` points at, or None."""
    host = (urlsplit(base_url).hostname or "").lower()
    for provider in PROVIDERS.values():
        if any(host == h or host.endswith("." + h) for h in provider.hosts):
            return provider
    return None


def api_key(provider: Provider, environ: Mapping[str, str] | None = None) -> str | None:
    """The first non-empty key among the provider's variables."""
    env = os.environ if environ is None else environ
    for var in provider.key_env:
        value = env.get(var, "").strip()
        if value:
            return value
    return None


def needs_key(provider: Provider) -> bool:
    """Whether running without a key is an error (a local server may take one but not need it)."""
    return bool(provider.key_env) and not provider.key_optional


def missing_key_message(provider: Provider, who: str = "") -> str:
    """One line naming the variable(s) to set; never includes a key value."""
    names = " or ".join(provider.key_env)
    prefix = f"{who} ({provider.name}): " if who else f"{provider.name}: "
    return f"{prefix}no API key; set {names} or give backend.api_key"
