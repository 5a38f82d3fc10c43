"""The viewer's email drawn across a page image (share links with a watermark)."""

import io

from PIL import Image, ImageDraw, ImageFont

# Light enough to read the page through, dark enough to survive a screenshot.
INK = (90, 90, 90, 70)


def watermark_png(image_bytes: bytes, text: str) -> bytes:
    """`image_bytes` (any format Pillow reads) as a PNG with `text` repeated in
    diagonal-ish rows across the page."""
    with Image.open(io.BytesIO(image_bytes)) as source:
        page = source.convert("RGBA")
    width, height = page.size
    size = max(12, width // 40)
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the fixed bitmap font
        font = ImageFont.load_default()
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    step_y = size * 6
    step_x = max(size * (len(text) // 2 + 4), 1)
    for row, y in enumerate(range(size, height, step_y)):
        offset = (row % 2) * step_x // 2
        for x in range(-step_x + offset, width, step_x * 2):
            draw.text((x, y), text, font=font, fill=INK)
    out = io.BytesIO()
    Image.alpha_composite(page, layer).convert("RGB").save(out, format="PNG")
    return out.getvalue()
