"""What a team YAML may say, as pydantic models: fields, defaults, limits; unknown keys are refused.

Backend types come from the provider table (`massgen.providers`); this module only adds the
keys some types take beyond the common ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    SecretStr,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from massgen.media.limits import parse_size
from massgen.providers import chat_provider

MediaName = Literal["text", "image", "audio", "video", "document", "file"]
MediaKey = Literal["image", "audio", "video", "document", "file"]
ToolType = Literal["image_generation", "video_generation", "audio_generation", "text_extraction"]

# Old key names still accepted, each with a warning: {section: {old: new}}.
SECTION_RENAMES: dict[str, dict[str, str]] = {
    "ui": {"type": "display_type"},
    "orchestrator": {"max_new_answers_per_agent": "max_answers_per_agent"},
}
RESERVED_AGENT_IDS = frozenset({"orchestrator"})  # chunk `source` of the orchestrator itself


def _size(value: Any) -> int:
    """Bytes from `5MB`, `512KiB` or a plain number."""
    try:
        return parse_size(value)
    except (ValueError, TypeError):
        raise PydanticCustomError(
            "size", "{value} is not a size; write bytes or a string such as '5MB'", {"value": repr(value)}
        ) from None


Size = Annotated[int, BeforeValidator(_size)]
MediaLimits = dict[MediaKey, Size]


class Strict(BaseModel):
    """Base of every section: unknown keys are errors (with a did-you-mean), numbers may stand for text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class MultimodalCapabilities(Strict):
    """Overrides of what a backend takes in and gives out; `text` is always implied."""

    input: list[MediaName] | None = None
    output: list[MediaName] | None = None


class ToolConfig(Strict):
    """A media tool an agent may call; `config` goes to the generation backend as is."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    type: ToolType
    config: dict[str, Any] = Field(default_factory=dict)


class BackendConfig(Strict):
    """Keys every backend type takes; `type` is a provider table name or alias, stored as the name."""

    extra_for: ClassVar[tuple[str, ...]] = ()  # types this class serves beyond the common keys

    type: str
    model: str | None = None
    api_key: SecretStr | None = None
    base_url: str | None = Field(None, pattern=r"^https?://\S+$")
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    max_tokens: int | None = Field(None, gt=0)
    timeout_seconds: float | None = Field(None, gt=0)
    max_retries: int | None = Field(None, ge=0, le=20)
    tools: list[ToolConfig] = Field(default_factory=list)
    multimodal_capabilities: MultimodalCapabilities | None = None
    media_limits: MediaLimits | None = None

    @field_validator("type", mode="before")
    @classmethod
    def _canonical_type(cls, value: Any) -> str:
        return chat_provider(value).name

    def has_key(self) -> bool:
        return self.api_key is not None and bool(self.api_key.get_secret_value().strip())


class OpenAIBackendConfig(BackendConfig):
    extra_for: ClassVar[tuple[str, ...]] = ("openai",)

    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None


class AzureOpenAIBackendConfig(BackendConfig):
    """Azure needs the API version and a deployment name (`model` stands for it if given)."""

    extra_for: ClassVar[tuple[str, ...]] = ("azure_openai",)

    deployment: str | None = None
    api_version: str

    @model_validator(mode="after")
    def _deployment_given(self) -> "AzureOpenAIBackendConfig":
        if not (self.deployment or self.model):
            raise PydanticCustomError("azure_deployment", "azure_openai needs a deployment; set backend.deployment "
                                      "to your Azure deployment name")
        return self


class ClaudeCodeBackendConfig(BackendConfig):
    extra_for: ClassVar[tuple[str, ...]] = ("claude_code",)

    cli_path: str | None = None
    cwd: str | None = None
    permission_mode: str | None = None
    allowed_tools: list[str] | None = None
    max_turns: int | None = Field(None, gt=0)
    resume: bool | None = None
    partial_messages: bool | None = None
    env: dict[str, str] | None = None


class DemoBackendConfig(BackendConfig):
    """The offline demo: `stream_rate` in words a second (0 = as fast as possible), `seed` for repeatable runs."""

    extra_for: ClassVar[tuple[str, ...]] = ("demo",)

    stream_rate: float | None = Field(None, ge=0)
    seed: int | None = None


SPECIFIC_BACKENDS: tuple[type[BackendConfig], ...] = (
    OpenAIBackendConfig, AzureOpenAIBackendConfig, ClaudeCodeBackendConfig, DemoBackendConfig,
)
_CLASS_FOR_TYPE = {name: cls for cls in SPECIFIC_BACKENDS for name in cls.extra_for}
# Discriminator tags show up in pydantic's error locations; the explainer drops them.
_ALL_BACKENDS: tuple[type[BackendConfig], ...] = (BackendConfig, *SPECIFIC_BACKENDS)
BACKEND_TAGS: dict[str, type[BackendConfig]] = {f"<{cls.__name__}>": cls for cls in _ALL_BACKENDS}
_TAG_OF = {cls: tag for tag, cls in BACKEND_TAGS.items()}


def backend_schema(type_name: str) -> type[BackendConfig]:
    """The config model for one backend type: a specific one if it takes extra keys, else the common one."""
    return _CLASS_FOR_TYPE.get(type_name, BackendConfig)


def _backend_tag(value: Any) -> str | None:
    """Pick the backend model from `type`; None (an error the explainer words) if it is unknown."""
    if isinstance(value, BackendConfig):
        return _TAG_OF[type(value)]
    if not isinstance(value, dict) or "type" not in value:
        return None
    try:
        name = chat_provider(value["type"]).name
    except ValueError:
        return None
    return _TAG_OF[backend_schema(name)]


if TYPE_CHECKING:  # to a type checker every tagged backend model is a BackendConfig
    AnyBackend = BackendConfig
else:  # built from the table at run time, which a type checker cannot follow
    AnyBackend = Annotated[
        Union[tuple(Annotated[cls, Tag(tag)] for tag, cls in BACKEND_TAGS.items())],
        Discriminator(_backend_tag, custom_error_type="backend_type", custom_error_message="unknown backend type"),
    ]


class AgentConfig(Strict):
    """One agent; tools, capabilities and limits may sit here or under `backend` (both forms are in use)."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    backend: AnyBackend
    system_message: str | None = None
    tools: list[ToolConfig] = Field(default_factory=list)
    multimodal_capabilities: MultimodalCapabilities | None = None
    media_limits: MediaLimits | None = None

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_AGENT_IDS:
            raise PydanticCustomError("reserved_id", "'{id}' is reserved for the team itself; pick another id", {"id": value})
        return value

    @property
    def all_tools(self) -> list[ToolConfig]:
        """Tools from both places they may be written (agent level first)."""
        return [*self.tools, *self.backend.tools]

    @property
    def capabilities(self) -> MultimodalCapabilities | None:
        """The capability override, wherever it was written (loading refuses it in both places)."""
        return self.multimodal_capabilities or self.backend.multimodal_capabilities

    @property
    def limits(self) -> MediaLimits | None:
        """Per-media size overrides in bytes, wherever they were written."""
        return self.media_limits or self.backend.media_limits

    def backend_options(self) -> dict[str, Any]:
        """The mapping `create_backend` takes: backend keys plus capabilities, limits and agent id."""
        skip = {"tools", "api_key", "multimodal_capabilities", "media_limits"}
        options = self.backend.model_dump(exclude=skip, exclude_none=True)
        if self.backend.api_key is not None and self.backend.has_key():
            options["api_key"] = self.backend.api_key.get_secret_value()
        if self.capabilities is not None:
            options["multimodal_capabilities"] = self.capabilities.model_dump(exclude_none=True)
        if self.limits:
            options["media_limits"] = dict(self.limits)
        options["agent_id"] = self.id
        return options


class MultimodalDisplay(Strict):
    images: Literal["inline", "thumbnail", "none"] = "inline"
    save_outputs: bool = False


class UIConfig(Strict):
    """How the run is shown; `type` is accepted as the old name of `display_type` (with a warning)."""

    display_type: Literal["textual_terminal", "rich_terminal", "simple"] = "textual_terminal"
    logging_enabled: bool = False
    multimodal_display: MultimodalDisplay = Field(default_factory=MultimodalDisplay)


class OrchestratorConfig(Strict):
    """Bounds that keep a run finite: answers per agent, rounds, wall time, re-asks of a silent agent."""

    max_answers_per_agent: int = Field(5, ge=1, le=100)
    max_rounds: int = Field(10, ge=1, le=1000)
    timeout_seconds: float = Field(1800.0, gt=0)
    max_reask: int = Field(2, ge=0, le=10)


class TeamConfig(Strict):
    """A whole team file; `path` and `warnings` come from loading, not from the YAML."""

    agents: list[AgentConfig] = Field(min_length=1)
    ui: UIConfig = Field(default_factory=UIConfig)
    orchestrator: OrchestratorConfig = Field(default_factory=OrchestratorConfig)
    output_dir: Path | None = None

    _path: Path | None = PrivateAttr(None)
    _warnings: list[str] = PrivateAttr(default_factory=list)
    _lines: Any = PrivateAttr(None)  # yaml_source.SourceMap, for later checks that cite lines

    @model_validator(mode="before")
    @classmethod
    def _empty_sections(cls, data: Any) -> Any:
        """`ui:` with nothing under it means the defaults, not an error."""
        if isinstance(data, dict):
            data = {k: ({} if k in ("ui", "orchestrator") and v is None else v) for k, v in data.items()}
        return data

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings)

    def agent(self, agent_id: str) -> AgentConfig:
        for agent in self.agents:
            if agent.id == agent_id:
                return agent
        raise KeyError(agent_id)

