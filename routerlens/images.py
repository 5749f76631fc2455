"""Images for the playground: checked before anything is sent, downscaled when asked, sent as
``image_url`` content parts (uploads as base64 data URLs).

Why check here rather than let OpenRouter refuse: a refused image still costs a round trip and
can cost money (the text part is billed), and a 30 MB upload would be base64-encoded into a
40 MB request body. So every upload is opened with Pillow (a renamed text file or an SVG is not
an image), and its bytes and pixels are bounded. Limits follow the providers of gpt-4o-mini:
PNG, JPEG, WEBP and non-animated GIF, at most 20 MB each; OpenAI scales anything larger than
2048 px on the long side down anyway, so sending more pixels than that only costs bandwidth.
"""

from __future__ import annotations

import base64
import hashlib
import io
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from .text import safe_url

ALLOWED_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
ALLOWED_EXTENSIONS = ("png", "jpg", "jpeg", "webp", "gif")
HARD_MAX_BYTES = 20 * 1024 * 1024
"""Refused whatever the downscale option says (OpenAI's per-image limit)."""
HARD_MAX_PIXELS = 50_000_000
"""Refused whatever the option says: decoding more is a memory risk (decompression bombs)."""
SEND_MAX_BYTES = 5 * 1024 * 1024
"""Above this an image is downscaled (option on) or refused (option off)."""
SEND_MAX_SIDE = 2048
"""Long side in pixels above which an image is downscaled (option on) or refused (option off)."""
MAX_IMAGES_PER_MESSAGE = 8
MAX_URL_LENGTH = 2048


class ImageRejected(ValueError):
    """An image that will not be sent, with the reason in words a user can act on."""


@dataclass(frozen=True)
class PreparedImage:
    """One image ready to send. ``url`` is a data URL for uploads, the http(s) URL otherwise."""

    name: str
    url: str
    mime: str | None
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    original_bytes: int | None = None
    downscaled: bool = False
    sha256: str | None = None

    @property
    def is_upload(self) -> bool:
        return self.url.startswith("data:")

    def content_part(self, detail: str = "auto") -> dict:
        """The ``image_url`` content part OpenRouter expects."""
        return {"type": "image_url", "image_url": {"url": self.url, "detail": detail}}

    def raw_bytes(self) -> bytes | None:
        """The bytes that are sent (for the preview), or ``None`` for a URL image."""
        if not self.is_upload:
            return None
        return base64.b64decode(self.url.split(",", 1)[1])

    def describe(self) -> str:
        """"cat.png · 800×600 · 120 KB (downscaled from 8.1 MB)" — shown under the preview."""
        if not self.is_upload:
            return f"{self.name} · by URL (fetched by the provider, not checked here)"
        parts = [self.name]
        if self.width and self.height:
            parts.append(f"{self.width}×{self.height}")
        if self.size_bytes is not None:
            size = human_bytes(self.size_bytes)
            if self.downscaled and self.original_bytes is not None:
                size += f" (downscaled from {human_bytes(self.original_bytes)})"
            parts.append(size)
        return " · ".join(parts)

    def export(self) -> dict:
        """A JSON-friendly record without the image bytes (exports stay small)."""
        record = {"name": self.name, "mime": self.mime, "width": self.width, "height": self.height,
                  "bytes": self.size_bytes, "downscaled": self.downscaled, "sha256": self.sha256}
        record["url"] = self.url if not self.is_upload else f"data:{self.mime};base64,… (omitted)"
        return record


def human_bytes(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def prepare_upload(name: str, data: bytes, *, downscale: bool = True) -> PreparedImage:
    """Check an uploaded file and return it as a data URL. Raises :class:`ImageRejected`."""
    label = name or "image"
    if not data:
        raise ImageRejected(f"“{label}” is empty.")
    if len(data) > HARD_MAX_BYTES:
        raise ImageRejected(f"“{label}” is {human_bytes(len(data))}; images over {human_bytes(HARD_MAX_BYTES)} "
                            "are not sent. Resize or compress it first.")
    if _looks_like_svg(data):
        raise ImageRejected(f"“{label}” is an SVG drawing; only PNG, JPEG, WEBP and GIF images can be sent.")
    image, fmt = _open(label, data)
    width, height = image.size
    if width * height > HARD_MAX_PIXELS:
        raise ImageRejected(f"“{label}” is {width}×{height} pixels; images over {HARD_MAX_PIXELS // 1_000_000} "
                            "megapixels are not sent.")
    if getattr(image, "n_frames", 1) > 1 and fmt == "GIF":
        raise ImageRejected(f"“{label}” is an animated GIF; providers accept still GIFs only. Send one frame "
                            "as PNG instead.")
    too_big = len(data) > SEND_MAX_BYTES or max(width, height) > SEND_MAX_SIDE
    original = len(data)
    downscaled = False
    if too_big:
        if not downscale:
            raise ImageRejected(
                f"“{label}” is {width}×{height} px, {human_bytes(len(data))}: over the sending limit "
                f"({SEND_MAX_SIDE} px on the long side, {human_bytes(SEND_MAX_BYTES)}). Turn on "
                "“Downscale large images” in the settings, or resize it first.")
        data, fmt = _downscale(image)
        width, height = Image.open(io.BytesIO(data)).size
        downscaled = True
    mime = ALLOWED_FORMATS[fmt]
    return PreparedImage(
        name=label, url=f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", mime=mime,
        width=width, height=height, size_bytes=len(data), original_bytes=original, downscaled=downscaled,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def prepare_url(url: str) -> PreparedImage:
    """Check an image given by address. The image itself is fetched by the provider, not here
    (the app makes no request anywhere but OpenRouter), so only the address is checked."""
    text = (url or "").strip()
    if text.lower().startswith("data:"):
        raise ImageRejected("Data URLs cannot be pasted; upload the file instead.")
    if len(text) > MAX_URL_LENGTH or safe_url(text, base="") is None:
        raise ImageRejected(f"“{_short(text)}” is not an http(s) image address.")
    path = urlsplit(text).path.lower()
    extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if extension == "svg":
        raise ImageRejected(f"“{_short(text)}” is an SVG drawing; only PNG, JPEG, WEBP and GIF images can be sent.")
    if extension and extension not in ALLOWED_EXTENSIONS:
        raise ImageRejected(f"“{_short(text)}” does not look like a PNG, JPEG, WEBP or GIF image (.{extension}).")
    mime = {"jpg": "image/jpeg", "jpeg": "image/jpeg"}.get(extension, f"image/{extension}" if extension else None)
    return PreparedImage(name=path.rsplit("/", 1)[-1] or text, url=text, mime=mime)


def prepare_all(uploads: list[tuple[str, bytes]], urls: list[str], *, downscale: bool = True
                ) -> tuple[list[PreparedImage], list[str]]:
    """Check every image of one message. Returns the prepared images and the reasons for each
    refused one; the caller sends nothing unless the second list is empty."""
    prepared, problems = [], []
    if len(uploads) + len(urls) > MAX_IMAGES_PER_MESSAGE:
        problems.append(f"{len(uploads) + len(urls)} images attached; at most {MAX_IMAGES_PER_MESSAGE} per message.")
        return [], problems
    for name, data in uploads:
        try:
            prepared.append(prepare_upload(name, data, downscale=downscale))
        except ImageRejected as exc:
            problems.append(str(exc))
    for url in urls:
        try:
            prepared.append(prepare_url(url))
        except ImageRejected as exc:
            problems.append(str(exc))
    return prepared, problems


def split_urls(text: str | None) -> list[str]:
    """Image addresses typed one per line (or separated by spaces)."""
    return [part for part in (text or "").split() if part.strip()]


def _open(label: str, data: bytes) -> tuple[Image.Image, str]:
    """Open and fully verify an image; the format must be one providers accept."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            probe.verify()  # checks the file's structure (truncated/corrupt data fails here)
            image = Image.open(io.BytesIO(data))
            image.load()  # decodes the pixels (corrupt data that verify() misses fails here)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise ImageRejected(f"“{label}” is not a readable image (PNG, JPEG, WEBP or GIF expected).") from None
        raise ImageRejected(f"“{label}” has too many pixels to open safely.") from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected(f"“{label}” is damaged or not really an image; it could not be decoded.") from None
    fmt = image.format or ""
    if fmt not in ALLOWED_FORMATS:
        raise ImageRejected(f"“{label}” is a {fmt or 'unknown'} image; only PNG, JPEG, WEBP and GIF can be sent.")
    return image, fmt


def _downscale(image: Image.Image) -> tuple[bytes, str]:
    """Fit within ``SEND_MAX_SIDE`` and re-encode: JPEG for opaque images, PNG when there is
    transparency. Quality steps down until the bytes fit."""
    frame = image.copy()
    frame.thumbnail((SEND_MAX_SIDE, SEND_MAX_SIDE), Image.Resampling.LANCZOS)
    has_alpha = frame.mode in ("RGBA", "LA") or (frame.mode == "P" and "transparency" in frame.info)
    if has_alpha:
        out = io.BytesIO()
        frame.convert("RGBA").save(out, format="PNG", optimize=True)
        if out.tell() <= SEND_MAX_BYTES:
            return out.getvalue(), "PNG"
    rgb = frame.convert("RGB")
    for quality in (90, 80, 70, 55, 40):
        out = io.BytesIO()
        rgb.save(out, format="JPEG", quality=quality, optimize=True)
        if out.tell() <= SEND_MAX_BYTES:
            return out.getvalue(), "JPEG"
    raise ImageRejected("The image could not be made small enough to send.")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
