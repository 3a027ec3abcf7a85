"""massgen.media: what an attachment is (sniffed from content), how big, whether each backend takes it,
and its bytes and base64 read once, only when a request is built. Pillow, mutagen and puremagic are
imported on first use, so importing this package stays cheap."""

from .encode import CACHE as BASE64_CACHE
from .encode import Base64Cache, b64_length
from .errors import MediaError, display_name
from .fit import FittedImage, fit_image
from .imaging import MAX_IMAGE_PIXELS
from .json_body import Base64Of, build_json_body, iter_json_body, json_body_length
from .limits import BackendLimits, MediaLimit, limits_for, parse_size
from .probe import MediaInfo, probe, probe_bytes
from .ref import MediaRef
from .sniff import Sniffed, media_type_for, sniff, sniff_bytes
from .verdict import Verdict, check_for_backend, human_size

__all__ = [
    "BASE64_CACHE",
    "Base64Cache",
    "Base64Of",
    "BackendLimits",
    "FittedImage",
    "MAX_IMAGE_PIXELS",
    "MediaError",
    "MediaInfo",
    "MediaLimit",
    "MediaRef",
    "Sniffed",
    "Verdict",
    "b64_length",
    "build_json_body",
    "check_for_backend",
    "display_name",
    "fit_image",
    "human_size",
    "iter_json_body",
    "json_body_length",
    "limits_for",
    "media_type_for",
    "parse_size",
    "probe",
    "probe_bytes",
    "sniff",
    "sniff_bytes",
]
