"""Image checks before sending: real images pass, everything else is refused with a reason."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from routerlens import images
from routerlens.images import ImageRejected, prepare_all, prepare_upload, prepare_url, split_urls


def png_bytes(width: int, height: int, *, mode: str = "RGB", fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (200, 30, 30) if mode == "RGB" else None).save(out, format=fmt)
    return out.getvalue()


def noisy_png(width: int, height: int) -> bytes:
    """A PNG that compresses badly (random pixels), to exceed byte limits with few pixels."""
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("fmt, mime", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"),
                                       ("GIF", "image/gif")])
def test_supported_formats_become_data_urls(fmt, mime):
    data = png_bytes(32, 16, fmt=fmt)
    image = prepare_upload(f"x.{fmt.lower()}", data)
    assert image.url.startswith(f"data:{mime};base64,")
    assert base64.b64decode(image.url.split(",", 1)[1]) == data
    assert (image.width, image.height) == (32, 16) and not image.downscaled
    assert image.content_part("high") == {"type": "image_url", "image_url": {"url": image.url, "detail": "high"}}


def test_mime_follows_content_not_name():
    image = prepare_upload("really-a-jpeg.png", png_bytes(8, 8, fmt="JPEG"))
    assert image.mime == "image/jpeg"


def test_corrupt_png_is_refused():
    data = png_bytes(64, 64)
    with pytest.raises(ImageRejected, match="damaged|not a readable"):
        prepare_upload("broken.png", data[: len(data) // 2])
    with pytest.raises(ImageRejected, match="not a readable image"):
        prepare_upload("notes.png", b"this is a text file, not a picture")


def test_svg_and_empty_are_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    with pytest.raises(ImageRejected, match="SVG"):
        prepare_upload("logo.png", svg)
    with pytest.raises(ImageRejected, match="empty"):
        prepare_upload("empty.png", b"")


def test_30_mb_image_is_refused_even_with_downscale():
    data = png_bytes(16, 16) + b"\0" * (30 * 1024 * 1024)
    with pytest.raises(ImageRejected, match="30.0 MB"):
        prepare_upload("huge.png", data, downscale=True)


def test_large_image_downscaled_or_refused():
    data = png_bytes(3000, 1000)
    with pytest.raises(ImageRejected, match="Downscale large images"):
        prepare_upload("wide.png", data, downscale=False)
    image = prepare_upload("wide.png", data, downscale=True)
    assert image.downscaled and (image.width, image.height) == (2048, 683)
    assert image.original_bytes == len(data)
    assert "downscaled from" in image.describe()


def test_heavy_bytes_downscaled_to_jpeg_under_limit(monkeypatch):
    monkeypatch.setattr(images, "SEND_MAX_BYTES", 200_000)
    data = noisy_png(400, 400)
    assert len(data) > 200_000
    image = prepare_upload("noise.png", data)
    assert image.downscaled and image.mime == "image/jpeg" and image.size_bytes <= 200_000


def test_too_many_pixels_refused(monkeypatch):
    monkeypatch.setattr(images, "HARD_MAX_PIXELS", 100 * 100)
    with pytest.raises(ImageRejected, match="megapixels"):
        prepare_upload("big.png", png_bytes(200, 200))


def test_animated_gif_refused():
    frames = [Image.new("RGB", (8, 8), c) for c in ((255, 0, 0), (0, 255, 0))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageRejected, match="animated"):
        prepare_upload("anim.gif", out.getvalue())


def test_urls():
    assert prepare_url("https://example.com/cat.jpg").mime == "image/jpeg"
    assert prepare_url("https://example.com/image?id=3").mime is None
    for bad, reason in (("https://example.com/logo.svg", "SVG"), ("javascript:alert(1)", "http"),
                        ("ftp://example.com/a.png", "http"), ("data:image/png;base64,AAAA", "upload"),
                        ("https://example.com/doc.pdf", "does not look like")):
        with pytest.raises(ImageRejected, match=reason):
            prepare_url(bad)


def test_prepare_all_collects_every_problem():
    good = png_bytes(4, 4)
    prepared, problems = prepare_all([("a.png", good), ("b.png", b"junk")], ["https://x.test/c.svg"])
    assert len(prepared) == 1 and len(problems) == 2
    _, problems = prepare_all([("a.png", good)] * 9, [])
    assert "at most 8" in problems[0]
    assert split_urls(" https://a.test/1.png\nhttps://b.test/2.png ") == ["https://a.test/1.png", "https://b.test/2.png"]
