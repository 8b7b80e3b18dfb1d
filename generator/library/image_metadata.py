"""What a case image publishes besides its pixels: nothing.

Photos carry EXIF (camera, time, GPS position, sometimes a name), XMP, comments and PNG text
chunks. The site publishes JPEG and PNG images without them (re-saved by Pillow, the JPEG with
its own quantisation tables, so the same file always gives the same bytes); a GIF or WebP
image that carries any is refused by ``check_image`` (re-saving those would change them).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

# Image.info keys that are metadata rather than how to draw the pixels.
_METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "adobe_transform")
_HARMLESS = {"dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density", "icc_profile",
             "progressive", "progression", "transparency", "gamma", "aspect", "interlace",
             "duration", "loop", "background", "version", "extension", "srgb", "chromaticity",
             "lossless", "compression", "disposal", "transparency_palette"}  # fmt: skip


def metadata_keys(image: Image.Image) -> list[str]:
    """The kinds of metadata ``image`` carries (empty: none)."""
    found = [str(key) for key in image.info if key not in _HARMLESS or key in _METADATA]
    if image.format == "PNG":
        found += [f"text:{key}" for key in getattr(image, "text", {})]
    if image.getexif():
        found.append("exif")
    return sorted(set(found))


def published_image(file: Path) -> bytes:
    """The bytes the site publishes for ``file``: as they are when they carry no metadata."""
    data = file.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        if not metadata_keys(image) or image.format not in ("JPEG", "PNG"):
            return data
        out = io.BytesIO()
        kept: dict[str | tuple[int, int], Any] = {
            key: value for key, value in image.info.items() if key in _HARMLESS
        }
        icc = image.info.get("icc_profile")
        extra = {"icc_profile": icc} if icc else {}
        if image.format == "JPEG":
            turned = image.getexif().get(0x0112, 1) != 1
            upright = ImageOps.exif_transpose(image) if turned else image
            image.info = kept  # Pillow writes a kept comment back otherwise
            if not turned:
                image.save(out, "JPEG", quality="keep", subsampling="keep", **extra)
            else:  # turned as the camera meant it: the pixels change, so re-encode
                upright.save(out, "JPEG", quality=92, **extra)
        else:
            image.info = kept
            if "transparency" in image.info:
                extra["transparency"] = image.info["transparency"]
            image.save(out, "PNG", **extra)
        return out.getvalue()
