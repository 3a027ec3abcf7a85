"""Team configs: load a YAML file into validated models, with `file:line: what; fix` errors.

    team = load_config("configs/demo.yaml")
    backends = [create_backend(agent.backend_options()) for agent in team.agents]  # massgen.backend
"""

from massgen.config.checks import check_api_keys
from massgen.errors import ConfigError
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
