"""The provider table: every provider once, as data (no SDK imports, so anything may read it at no cost).

Input limits follow the providers' documentation as of late 2026; per-agent YAML
(`multimodal_capabilities`, `media_limits`) overrides them. OpenAI-compatible presets take their
base URL and key variable from MassGen (massgen/cli.py, backend/capabilities.py) and the providers'
own documentation; their vision depends on the model, so they take no media unless the YAML says so.
"""

from __future__ import annotations

from massgen.media.limits import GB, IMAGE_COMMON, MB, PDF, MediaLimit
from massgen.stream_chunk import MediaType

from .provider import PNG_JPEG_WEBP, Provider

I, A, V, D = MediaType.IMAGE, MediaType.AUDIO, MediaType.VIDEO, MediaType.DOCUMENT
GEMINI_AUDIO = frozenset({"audio/wav", "audio/x-wav", "audio/mpeg", "audio/aiff", "audio/aac", "audio/ogg", "audio/flac",
                          "audio/mp4"})
GEMINI_VIDEO = frozenset({"video/mp4", "video/mpeg", "video/quicktime", "video/x-msvideo", "video/x-flv", "video/webm",
                          "video/x-ms-wmv", "video/3gpp"})
GEMINI_IMAGE = frozenset({"image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"})
PNG_JPEG = frozenset({"image/png", "image/jpeg"})

_BACKEND, _GEN = "massgen.backend.", "massgen.generation."
CHAT_COMPLETIONS = _BACKEND + "chat_completions:ChatCompletionsBackend"
GENERIC = "chatcompletion"  # the OpenAI-compatible type whose provider is told by its base_url
COMPATIBLE_NOTE = "an OpenAI-compatible server's vision depends on its model; set multimodal_capabilities.input: [image]"


def _compatible(name: str, label: str, base_url: str, key_env: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
                aliases: tuple[str, ...] = (), key_optional: bool = False) -> Provider:
    """A preset: an OpenAI-compatible server at a known address, reached through the Chat Completions backend."""
    return Provider(name, label, key_env, key_optional, aliases, CHAT_COMPLETIONS, base_url=base_url, hosts=hosts,
                    limits_note=COMPATIBLE_NOTE)


_ROWS = (
    # OpenAI: images up to 50 MB per request (20 MB per image is the figure kept per item); PDFs as
    # input_file up to 32 MB.
    Provider(
        "openai", "OpenAI", ("OPENAI_API_KEY",),
        aliases=("response", "responses", "dalle", "dall-e", "gpt-image", "sora"),
        chat_class=_BACKEND + "response:ResponseBackend",
        models={"chat": "gpt-5.4-mini", "image": "gpt-image-2.5-sunburst", "video": "sora-2", "audio": "gpt-4o-mini-tts",
                "transcription": "gpt-transcribe", "responses": "gpt-5-mini"},
        accepts={I: MediaLimit(20 * MB, IMAGE_COMMON, max_side=2048), D: MediaLimit(32 * MB, PDF)}, outputs=frozenset({I}),
        modules={I: _GEN + "image_openai", V: _GEN + "video_sora", A: _GEN + "audio_openai"},
        model_prefixes=("gpt-image", "dall-e", "chatgpt-image", "sora", "tts-", "gpt-4o-mini-tts", "gpt-transcribe",
                        "gpt-4o-transcribe", "whisper"),
        url_env="OPENAI_BASE_URL",
    ),
    Provider(
        GENERIC, "OpenAI-compatible",
        aliases=("chat_completions", "chatcompletions", "openai_compatible", "local"),
        chat_class=CHAT_COMPLETIONS, limits_note=COMPATIBLE_NOTE,
    ),
    # xAI: jpeg/png up to 10 MiB per image on vision models.
    Provider(
        "grok", "Grok", ("XAI_API_KEY",), aliases=("xai", "x.ai"),
        chat_class=_BACKEND + "grok:GrokBackend",
        models={"chat": "grok-4", "image": "grok-imagine-image", "video": "grok-imagine-video"},
        base_url="https://api.x.ai/v1",
        accepts={I: MediaLimit(10 * MB, PNG_JPEG)},
        modules={I: _GEN + "image_grok", V: _GEN + "video_grok"}, model_prefixes=("grok-",), url_env="XAI_BASE_URL",
        edit_input=MediaLimit(10 * MB, PNG_JPEG, max_side=2048),
    ),
    Provider(
        "azure_openai", "Azure OpenAI", ("AZURE_OPENAI_API_KEY",), aliases=("azure",),
        chat_class=_BACKEND + "azure_openai:AzureOpenAIBackend",
        limits_note="vision depends on the deployment; set multimodal_capabilities.input: [image] for a vision deployment",
    ),
    # Anthropic: 5 MB per image, at most 8000 px a side, and images over 1568 px on the long edge are
    # downscaled by the API anyway, so fitting targets that. PDFs: 32 MB per request in base64, so 24 MB
    # of file; larger ones go through the Files API.
    Provider(
        "claude", "Claude", ("ANTHROPIC_API_KEY",), aliases=("anthropic",),
        chat_class=_BACKEND + "claude:ClaudeBackend", models={"chat": "claude-sonnet-4-6"},
        accepts={I: MediaLimit(5 * MB, IMAGE_COMMON, max_pixels=8000 * 8000, max_side=1568),
                 D: MediaLimit(24 * MB, PDF, upload_max_bytes=500 * MB)},
    ),
    # Gemini: 20 MB per request with inline data in base64, so 15 MB of file; larger files through the
    # Files API (2 GB each). GOOGLE_API_KEY comes first because google-genai's own Client prefers it
    # when both are set (google/genai/_api_client.py, get_env_api_key): chat and generation then use
    # the key the SDK would pick. Generation keeps the name "google" (Imagen and Veo are not Gemini
    # models), so tool configs and continuation ids ("google:...") read as before.
    Provider(
        "gemini", "Gemini", ("GOOGLE_API_KEY", "GEMINI_API_KEY"), aliases=("google", "imagen", "veo", "vertex"),
        chat_class=_BACKEND + "gemini:GeminiBackend",
        models={"chat": "gemini-3.5-flash", "image": "gemini-3.1-flash-image", "video": "veo-3.1-generate-preview",
                "image_edit": "imagen-3.0-capability-001"},
        accepts={kind: MediaLimit(15 * MB, mimes, upload_max_bytes=2 * GB)
                 for kind, mimes in ((I, GEMINI_IMAGE), (A, GEMINI_AUDIO), (V, GEMINI_VIDEO), (D, PDF))},
        outputs=frozenset({I}),
        modules={I: _GEN + "image_google", V: _GEN + "video_veo"}, model_prefixes=("gemini-", "imagen-", "veo-"),
        url_env="GOOGLE_GEMINI_BASE_URL", edit_input=MediaLimit(20 * MB, PNG_JPEG_WEBP, max_side=3072),
        makes_as="google",
    ),
    # Claude Code reads files from disk itself; it signs in through its own CLI.
    Provider(
        "claude_code", "Claude Code", chat_class=_BACKEND + "claude_code:ClaudeCodeBackend", models={"chat": "sonnet"},
        accepts={I: MediaLimit(50 * MB, IMAGE_COMMON), D: MediaLimit(50 * MB, PDF)},
    ),
    # The offline demo reads image pixels for real, notes documents, and draws images.
    Provider(
        "demo", "Offline demo", aliases=("offline",), chat_class="massgen.demo.backend:DemoBackend",
        models={"chat": "offline-demo", "image": "demo-scene-1"},
        accepts={I: MediaLimit(50 * MB, IMAGE_COMMON, max_pixels=64_000_000), D: MediaLimit(50 * MB, PDF)},
        outputs=frozenset({I}),
        modules={I: "massgen.demo.image"}, model_prefixes=("demo",),
        edit_input=MediaLimit(50 * MB, PNG_JPEG_WEBP | {"image/gif"}, max_pixels=16_000_000),
    ),
    Provider(
        "openrouter", "OpenRouter", ("OPENROUTER_API_KEY",), chat_class=CHAT_COMPLETIONS,
        models={"image": "google/gemini-3.1-flash-image-preview"},
        base_url="https://openrouter.ai/api/v1", hosts=("openrouter.ai",), limits_note=COMPATIBLE_NOTE,
        modules={I: _GEN + "image_openrouter"}, url_env="OPENROUTER_BASE_URL",
    ),
    Provider(
        "elevenlabs", "ElevenLabs", ("ELEVENLABS_API_KEY",), aliases=("eleven_labs", "eleven-labs", "11labs"),
        models={"audio": "eleven_multilingual_v2", "sound_effect": "eleven_text_to_sound_v2"},
        base_url="https://api.elevenlabs.io",
        modules={A: _GEN + "audio_elevenlabs"}, model_prefixes=("eleven_",), url_env="ELEVENLABS_BASE_URL",
    ),
    Provider(
        "sd", "Stable Diffusion (AUTOMATIC1111 API)",
        aliases=("stable_diffusion", "stable-diffusion", "stablediffusion", "a1111", "automatic1111", "sdwebui"),
        models={"image": ""},  # the model the server has loaded
        modules={I: _GEN + "image_sd"},
        model_prefixes=("sdxl", "sd-", "sd_", "sd1", "sd2", "sd3", "stable-diffusion", "stable_diffusion"),
        url_env="SD_WEBUI_URL", needs_url=True,
    ),
    # OpenAI-compatible presets: hosted (a key is required) ...
    _compatible("cerebras", "Cerebras", "https://api.cerebras.ai/v1", ("CEREBRAS_API_KEY",), ("cerebras.ai",)),
    _compatible("fireworks", "Fireworks AI", "https://api.fireworks.ai/inference/v1", ("FIREWORKS_API_KEY",),
                ("fireworks.ai",)),
    _compatible("groq", "Groq", "https://api.groq.com/openai/v1", ("GROQ_API_KEY",), ("groq.com",)),
    # Nebius AI Studio is now Nebius Token Factory; MassGen's configs still use api.studio.nebius.ai.
    _compatible("nebius", "Nebius", "https://api.tokenfactory.nebius.com/v1", ("NEBIUS_API_KEY",),
                ("nebius.com", "nebius.ai")),
    _compatible("together", "Together AI", "https://api.together.xyz/v1", ("TOGETHER_API_KEY",),
                ("together.xyz", "together.ai")),
    _compatible("zai", "Z.ai", "https://api.z.ai/api/paas/v4", ("ZAI_API_KEY",), ("z.ai", "bigmodel.cn"),
                aliases=("z.ai", "zhipu")),
    _compatible("moonshot", "Moonshot (Kimi)", "https://api.moonshot.cn/v1", ("MOONSHOT_API_KEY", "KIMI_API_KEY"),
                ("moonshot.cn", "moonshot.ai"), aliases=("kimi",)),
    _compatible("qwen", "Qwen (DashScope)", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
                ("QWEN_API_KEY",), ("aliyuncs.com",), aliases=("dashscope",)),
    # ... and servers on this machine, at their default ports (no key, or an optional one).
    _compatible("lmstudio", "LM Studio", "http://localhost:1234/v1", aliases=("lm_studio", "lm-studio")),
    _compatible("ollama", "Ollama", "http://localhost:11434/v1"),
    _compatible("vllm", "vLLM", "http://localhost:8000/v1", ("VLLM_API_KEY",), key_optional=True),
    _compatible("sglang", "SGLang", "http://localhost:30000/v1", ("SGLANG_API_KEY",), key_optional=True),
)

PROVIDERS: dict[str, Provider] = {p.name: p for p in _ROWS}

# Generation's auto-selection order per media type (by generation name): the first available one wins.
# The offline demo comes last, so a machine without keys still draws images while any configured
# provider is preferred.
PRIORITY: dict[MediaType, tuple[str, ...]] = {
    I: ("google", "openai", "grok", "openrouter", "sd", "demo"),
    V: ("grok", "google", "openai"),
    A: ("elevenlabs", "openai"),
}
