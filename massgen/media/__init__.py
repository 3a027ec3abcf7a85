"""massgen.media: the one description of a media file (MediaItem), what a file is (sniffed from
content), how big, whether each backend takes it, and its bytes and base64 read once, only when a
request is built. Pillow, mutagen and puremagic are imported on first use, so importing this package
stays cheap."""

from .encode import CACHE as BASE64_CACHE
from .encode import Base64Cache, b64_length, decode_base64
from .errors import MediaError, display_name
from .fit import FittedImage, fit_image
from .imaging import MAX_IMAGE_PIXELS
from .item import MediaItem
from .json_body import Base64Of, build_json_body, iter_json_body, json_body_length
from .kinds import UNKNOWN_MIME, MediaType, media_type_for
from .limits import BackendLimits, MediaLimit, limits_for, parse_size
from .probe import probe, probe_bytes, probe_reading
from .ref import MediaRef
from .sniff import Sniffed, sniff, sniff_bytes
from .verdict import Verdict, check_for_backend
from .words import caption, describe, facts, human_duration, human_size, version_label

__all__ = [
    "BASE64_CACHE",
    "Base64Cache",
    "Base64Of",
    "BackendLimits",
    "FittedImage",
    "MAX_IMAGE_PIXELS",
    "MediaError",
    "MediaItem",
    "MediaLimit",
    "MediaRef",
    "MediaType",
    "Sniffed",
    "UNKNOWN_MIME",
    "Verdict",
    "b64_length",
    "build_json_body",
    "caption",
    "check_for_backend",
    "decode_base64",
    "describe",
    "display_name",
    "facts",
    "fit_image",
    "human_duration",
    "human_size",
    "iter_json_body",
    "json_body_length",
    "limits_for",
    "media_type_for",
    "parse_size",
    "probe",
    "probe_bytes",
    "probe_reading",
    "sniff",
    "sniff_bytes",
    "version_label",
]
