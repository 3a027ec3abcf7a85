"""Provider: one row of the provider table, everything massgen knows about one provider in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from massgen.media.limits import MB, BackendLimits, MediaLimit
from massgen.stream_chunk import MediaType

PNG_JPEG_WEBP = frozenset({"image/png", "image/jpeg", "image/webp"})


@dataclass(frozen=True)
class Provider:
    """One provider: its names, key and server, what its chat model takes in, and what it generates.

    A provider with `chat_class` is a YAML `backend.type`; one with `modules` is a generation backend.
    `models` holds the default model per role: "chat", "image", "video", "audio", and the side roles
    "transcription", "responses" (the model that drives OpenAI's image tool), "image_edit", "sound_effect".
    """

    name: str
    label: str
    key_env: tuple[str, ...] = ()  # any one supplies the key; the first one set wins
    key_optional: bool = False  # the server runs without a key (vLLM, SGLang) but takes one when set
    aliases: tuple[str, ...] = ()
    chat_class: str | None = None  # "module:Class" of the chat backend
    models: Mapping[str, str] = field(default_factory=dict)
    base_url: str | None = None  # None: the SDK's own default
    hosts: tuple[str, ...] = ()  # base_url hosts (and their subdomains) that mean this provider
    # What the chat model takes in (limits per media type), what it can return, and a hint when it takes nothing.
    accepts: Mapping[MediaType, MediaLimit] = field(default_factory=dict)
    outputs: frozenset[MediaType] = frozenset()
    limits_note: str = ""
    # Generation: the module whose `run(job)` makes each media type, the model names that belong here,
    # the variable naming a server (generation reads it; `needs_url`: nothing runs until it is set),
    # and the limit on images given to it to edit or follow.
    modules: Mapping[MediaType, str] = field(default_factory=dict)
    model_prefixes: tuple[str, ...] = ()
    url_env: str | None = None
    needs_url: bool = False
    edit_input: MediaLimit = field(default_factory=lambda: MediaLimit(20 * MB, PNG_JPEG_WEBP, max_side=2048))
    makes_as: str = ""  # the name generation goes by, when it is not `name`

    @property
    def maker(self) -> str:
        """The name of this provider in generation: tool `backend:` values, continuation ids, media metadata."""
        return self.makes_as or self.name

    @property
    def limits(self) -> BackendLimits:
        """What the chat model takes in and gives out, as the media layer checks it."""
        return BackendLimits(self.name, self.accepts, self.outputs, self.limits_note)

    def makes(self, media_type: MediaType) -> bool:
        return media_type in self.modules

    def model(self, role: MediaType | str) -> str | None:
        """The default model for a role ("chat", a generated MediaType, "transcription" ...), or None."""
        return self.models.get(role.value if isinstance(role, MediaType) else role)
