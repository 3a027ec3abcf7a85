"""Team configs: load a YAML file into validated models, with `file:line: what; fix` errors.

    team = load_config("configs/multimodal/image_generation_team.yaml")
    for agent in team.agents: create_backend(agent.backend_options())
"""

from massgen.config.checks import check_api_keys
from massgen.config.errors import ConfigError
from massgen.config.loader import from_dict, load_config, load_config_text
from massgen.config.models import (
    AgentConfig,
    AzureOpenAIBackendConfig,
    BackendConfig,
    ClaudeCodeBackendConfig,
    DemoBackendConfig,
    MultimodalCapabilities,
    MultimodalDisplay,
    OpenAIBackendConfig,
    OrchestratorConfig,
    TeamConfig,
    ToolConfig,
    UIConfig,
)

__all__ = [
    "AgentConfig",
    "AzureOpenAIBackendConfig",
    "BackendConfig",
    "ClaudeCodeBackendConfig",
    "ConfigError",
    "DemoBackendConfig",
    "MultimodalCapabilities",
    "MultimodalDisplay",
    "OpenAIBackendConfig",
    "OrchestratorConfig",
    "TeamConfig",
    "ToolConfig",
    "UIConfig",
    "check_api_keys",
    "from_dict",
    "load_config",
    "load_config_text",
]
