"""Product pictures for the demo hub, drawn with Pillow so that seeding needs no download.

Each motif draws one object on a transparent layer; `draw_product_picture` lays it on a table
with a soft background, a shadow and a light from the upper left, like a shop photograph.
All randomness comes from a `random.Random` seeded by the caller (the product slug), so the
same product always gets the same picture.
"""

import math
import random
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

Colour = tuple[int, int, int]
Box = tuple[float, float, float, float]

SIZE = 800
HALF = SIZE // 2
JPEG_QUALITY = 80
LABEL_FONT = "DejaVuSerif.ttf"

#: Backdrops: a cool studio for textiles, a warm kitchen for food.
BACKDROPS: dict[str, tuple[Colour, ...]] = {
    "studio": ((236, 238, 234), (231, 235, 240), (242, 236, 228), (233, 237, 229)),
    "kitchen": ((246, 236, 218), (243, 229, 214), (238, 232, 214), (247, 240, 226)),
}
WOOD = (176, 128, 84)
PAPER = (248, 243, 230)
INK = (62, 48, 40)


def shade(colour: Colour, factor: float) -> Colour:
    return tuple(max(0, min(255, round(channel * factor))) for channel in colour)


def mix(first: Colour, second: Colour, ratio: float) -> Colour:
    return tuple(round(a + (b - a) * ratio) for a, b in zip(first, second, strict=True))


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Serif where the system has it (Debian's fonts-dejavu-core), else Pillow's own."""
    try:
        return ImageFont.truetype(LABEL_FONT, size)
    except OSError:
        return ImageFont.load_default(size=size)


def write(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill: tuple[int, ...]
) -> None:
    """Centred text; accents are dropped when only Pillow's font (which lacks them) is there."""
    face = font(size)
    if not isinstance(face.path, str):
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    draw.text(xy, text, anchor="mm", font=face, fill=fill)


# --- textures: full-size RGB images that shapes are cut from -------------------------------


@lru_cache(maxsize=32)
def knit_texture(colour: Colour, stitch: int = 24) -> Image.Image:
    """Stockinette stitches: rows of small Vs, as on the front of a jumper."""
    scale = 4
    width, height = stitch * scale, stitch * scale * 3 // 4
    tile = Image.new("RGB", (width, height), shade(colour, 0.72))
    for centre_x, angle, tone in ((0.29, 32, 1.06), (0.71, -32, 0.95)):
        cx, cy = width * centre_x, height * 0.5
        leg = Image.new("L", (width, height), 0)
        ImageDraw.Draw(leg).ellipse(
            (cx - width * 0.17, cy - height * 0.62, cx + width * 0.17, cy + height * 0.62), fill=255
        )
        leg = leg.rotate(angle, resample=Image.Resampling.BICUBIC, center=(cx, cy))
        tile.paste(shade(colour, tone), (0, 0), leg)
    return _tiled(tile.resize((stitch, stitch * 3 // 4), Image.Resampling.LANCZOS))


@lru_cache(maxsize=32)
def rib_texture(colour: Colour, width: int = 12) -> Image.Image:
    """Vertical ribs, for cuffs, hems and bonnet brims."""
    tile = Image.new("RGB", (width, 8), shade(colour, 0.72))
    ImageDraw.Draw(tile).rounded_rectangle((1, -4, width - 2, 12), radius=4, fill=colour)
    return _tiled(tile)


def weave_texture(
    colour: Colour, rng: random.Random, stripes: tuple[Colour, ...] = (), check: bool = False
) -> Image.Image:
    """Woven cloth: slubby threads both ways, with optional stripes or a check."""
    image = Image.new("RGB", (HALF, HALF), colour)
    draw = ImageDraw.Draw(image)
    for y in range(0, HALF, 3):
        draw.line((0, y, HALF, y), fill=shade(colour, rng.uniform(0.92, 1.05)), width=1)
    warp = Image.new("RGB", (HALF, HALF), colour)
    warp_draw = ImageDraw.Draw(warp)
    for x in range(0, HALF, 3):
        warp_draw.line((x, 0, x, HALF), fill=shade(colour, rng.uniform(0.92, 1.05)), width=1)
    image = Image.blend(image, warp, 0.5)
    if stripes:
        period = rng.choice((60, 80, 100))
        overlay = image.copy()
        overlay_draw = ImageDraw.Draw(overlay)
        for index, stripe in enumerate(stripes):
            offset = index * period // (len(stripes) + 1) + 8
            band = rng.choice((6, 10, 14))
            for start in range(offset, HALF, period):
                overlay_draw.rectangle((0, start, HALF, start + band), fill=stripe)
                if check:
                    overlay_draw.rectangle((start, 0, start + band, HALF), fill=stripe)
        image = Image.blend(image, overlay, 0.75)
    return image.resize((SIZE, SIZE), Image.Resampling.BILINEAR)


def leather_texture(colour: Colour) -> Image.Image:
    """Grained hide: blurred noise between a darker and a lighter tone of the colour."""
    grain = Image.effect_noise((HALF, HALF), 48).filter(ImageFilter.GaussianBlur(1.2))
    grain = grain.resize((SIZE, SIZE), Image.Resampling.BILINEAR)
    return Image.composite(
        Image.new("RGB", (SIZE, SIZE), shade(colour, 1.10)),
        Image.new("RGB", (SIZE, SIZE), shade(colour, 0.86)),
        grain,
    )


def patchwork_texture(colour: Colour, rng: random.Random) -> Image.Image:
    """Squares cut from old garments and sewn together: the upcycling workshop's signature."""
    palette = [
        colour,
        shade(colour, 0.8),
        (70, 94, 138),
        (96, 118, 160),
        (190, 170, 140),
        (150, 60, 60),
        (92, 120, 96),
        (214, 196, 160),
    ]
    image = Image.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(image)
    step = rng.choice((100, 120, 140))
    for top in range(0, SIZE, step):
        for left in range(0, SIZE, step):
            draw.rectangle((left, top, left + step, top + step), fill=rng.choice(palette))
    for edge in range(0, SIZE, step):
        _dashes(draw, (edge + 4, 0), (edge + 4, SIZE), PAPER)
        _dashes(draw, (0, edge + 4), (SIZE, edge + 4), PAPER)
    return image


def _tiled(tile: Image.Image) -> Image.Image:
    """Repeat a tile over the whole picture, doubling the covered area at each paste."""
    image = Image.new("RGB", (SIZE, SIZE))
    width, height = tile.size
    image.paste(tile, (0, 0))
    while width < SIZE:
        image.paste(image.crop((0, 0, width, height)), (width, 0))
        width *= 2
    while height < SIZE:
        image.paste(image.crop((0, 0, SIZE, height)), (0, height))
        height *= 2
    return image


def _dashes(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    colour: Colour,
    dash: int = 9,
    width: int = 2,
) -> None:
    """A line of stitches between two points."""
    length = math.dist(start, end)
    steps = int(length // (dash * 2))
    for step in range(steps):
        ratio_a, ratio_b = step * 2 * dash / length, (step * 2 + 1) * dash / length
        draw.line(
            (
                start[0] + (end[0] - start[0]) * ratio_a,
                start[1] + (end[1] - start[1]) * ratio_a,
                start[0] + (end[0] - start[0]) * ratio_b,
                start[1] + (end[1] - start[1]) * ratio_b,
            ),
            fill=colour,
            width=width,
        )


# --- drawing helpers on the object layer --------------------------------------------------


class Layer:
    """A transparent sheet the motif paints on, with masks to cut textures into shapes."""

    def __init__(self) -> None:
        self.image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def mask(paint: Callable[[ImageDraw.ImageDraw], None]) -> Image.Image:
        mask = Image.new("L", (SIZE, SIZE), 0)
        paint(ImageDraw.Draw(mask))
        return mask

    def fill(self, mask: Image.Image, texture: Image.Image | Colour) -> None:
        """Paint the texture where the mask is set (only over the mask's box: much faster)."""
        box = mask.getbbox()
        if box is None:
            return
        if isinstance(texture, Image.Image):
            texture = texture.crop(box)
        self.image.paste(texture, box, mask.crop(box))

    def speckle(
        self,
        rng: random.Random,
        box: Box,
        colour: Colour,
        count: int,
        radius: tuple[int, int] = (2, 5),
        mask: Image.Image | None = None,
    ) -> None:
        """Small dots (flour, mould bloom, fat, pollen), kept inside the mask when given."""
        dots = Image.new("L", (SIZE, SIZE), 0)
        draw = ImageDraw.Draw(dots)
        for _ in range(count):
            x, y = rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])
            r = rng.uniform(*radius)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
        if mask is not None:
            dots = ImageChops.multiply(dots, mask)
        self.fill(dots, colour)


def _polygon_mask(points: list[tuple[float, float]]) -> Image.Image:
    return Layer.mask(lambda draw: draw.polygon(points, fill=255))


def _intersect(first: Image.Image, second: Image.Image) -> Image.Image:
    return ImageChops.multiply(first, second)


def _cloth_texture(cloth: str, colour: Colour, accent: Colour | None, rng: random.Random):
    if cloth == "knit":
        return knit_texture(colour, stitch=rng.choice((20, 24)))
    if cloth == "leather":
        return leather_texture(colour)
    if cloth == "patchwork":
        return patchwork_texture(colour, rng)
    stripes = (accent,) if accent else ()
    if cloth == "tartan":
        stripes = (accent or shade(colour, 0.6), mix(colour, (255, 255, 255), 0.6))
    return weave_texture(colour, rng, stripes=stripes, check=cloth == "tartan")


# --- textile motifs -------------------------------------------------------------------------


def draw_jumper(
    layer: Layer,
    rng: random.Random,
    colour: Colour,
    accent: Colour | None,
    cloth: str,
    label: str,
    *,
    cardigan: bool = False,
) -> None:
    outline = [
        (335, 178),
        (255, 200),
        (98, 520),
        (172, 552),
        (254, 350),
        (254, 640),
        (546, 640),
        (546, 350),
        (628, 552),
        (702, 520),
        (545, 200),
        (465, 178),
        (440, 206),
        (400, 216),
        (360, 206),
    ]
    body = _polygon_mask(outline)
    texture = _cloth_texture(cloth, colour, None, rng)
    if accent and cloth == "knit":
        stripes = knit_texture(accent, stitch=24)
        band = Layer.mask(
            lambda d: [d.rectangle((0, y, SIZE, y + 26), fill=255) for y in range(260, 600, 70)]
        )
        texture = Image.composite(stripes, texture, band)
    layer.fill(body, texture)
    ribs = rib_texture(shade(colour, 0.92))
    hem = Layer.mask(lambda d: d.rectangle((254, 600, 546, 640), fill=255))
    cuffs = Layer.mask(
        lambda d: (
            d.polygon([(98, 520), (172, 552), (186, 522), (112, 490)], fill=255),
            d.polygon([(702, 520), (628, 552), (614, 522), (688, 490)], fill=255),
        )
    )
    layer.fill(_intersect(hem, body), ribs)
    layer.fill(_intersect(cuffs, body), ribs)
    layer.draw.line(
        [(335, 178), (360, 206), (400, 216), (440, 206), (465, 178)],
        fill=shade(colour, 0.55) + (255,),
        width=14,
        joint="curve",
    )
    if cardigan:
        layer.draw.line((400, 216, 400, 640), fill=shade(colour, 0.55) + (255,), width=6)
        for y in range(260, 620, 80):
            layer.draw.ellipse(
                (388, y, 412, y + 24),
                fill=(222, 208, 180, 255),
                outline=(150, 128, 96, 255),
                width=2,
            )


def draw_cardigan(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    draw_jumper(layer, rng, colour, accent, cloth, label, cardigan=True)


def draw_shirt(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    outline = [
        (340, 170),
        (262, 196),
        (120, 470),
        (190, 505),
        (270, 340),
        (270, 660),
        (530, 660),
        (530, 340),
        (610, 505),
        (680, 470),
        (538, 196),
        (460, 170),
    ]
    layer.fill(_polygon_mask(outline), _cloth_texture(cloth, colour, accent, rng))
    dark = shade(colour, 0.7) + (255,)
    collar = [(340, 170), (400, 250), (460, 170), (430, 160), (400, 200), (370, 160)]
    layer.draw.polygon(collar, fill=shade(colour, 0.9) + (255,), outline=dark)
    layer.draw.line((400, 250, 400, 660), fill=dark, width=3)
    for y in range(290, 640, 70):
        layer.draw.ellipse((392, y, 408, y + 16), fill=(236, 230, 214, 255))
    layer.draw.rectangle((300, 300, 360, 370), outline=dark, width=3)


def draw_socks(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    for dx, dy, tone in ((110, 60, 0.86), (0, 0, 1.0)):
        x, y = 210 + dx, 150 + dy
        sock_colour = shade(colour, tone)

        def outline(d: ImageDraw.ImageDraw, x: float = x, y: float = y) -> None:
            d.rectangle((x, y, x + 130, y + 340), fill=255)
            d.rounded_rectangle((x, y + 250, x + 300, y + 400), radius=75, fill=255)
            d.ellipse((x - 20, y + 280, x + 110, y + 410), fill=255)

        shape = Layer.mask(outline)
        texture = knit_texture(sock_colour, stitch=18)
        if accent:
            bands = Layer.mask(
                lambda d, y=y: [
                    d.rectangle((0, s, SIZE, s + 22), fill=255)
                    for s in range(int(y) + 70, int(y) + 260, 48)
                ]
            )
            texture = Image.composite(knit_texture(shade(accent, tone), stitch=18), texture, bands)
        layer.fill(shape, texture)
        heel_toe = Layer.mask(
            lambda d, x=x, y=y: (
                d.ellipse((x - 20, y + 300, x + 90, y + 410), fill=255),
                d.rectangle((x + 240, y + 250, x + 320, y + 410), fill=255),
            )
        )
        trim = accent or shade(colour, 0.7)
        layer.fill(_intersect(heel_toe, shape), knit_texture(shade(trim, tone), stitch=18))
        cuff = Layer.mask(lambda d, x=x, y=y: d.rectangle((x, y, x + 130, y + 54), fill=255))
        layer.fill(cuff, rib_texture(shade(sock_colour, 0.95), width=10))


def draw_trousers(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    outline = [(270, 150), (530, 150), (590, 680), (440, 680), (400, 330), (360, 680), (210, 680)]
    layer.fill(_polygon_mask(outline), _cloth_texture(cloth, colour, accent, rng))
    dark = shade(colour, 0.7) + (255,)
    layer.draw.rectangle((270, 150, 530, 200), fill=shade(colour, 0.88) + (255,))
    for x in range(290, 520, 26):
        layer.draw.line((x, 152, x + 6, 198), fill=dark, width=2)
    layer.draw.line((400, 200, 400, 330), fill=dark, width=3)
    layer.draw.arc((250, 170, 360, 290), 0, 90, fill=dark, width=3)
    layer.draw.arc((440, 170, 550, 290), 90, 180, fill=dark, width=3)


def draw_mittens(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    for dx, tone in ((130, 0.88), (-60, 1.0)):
        x = 340 + dx
        tint = shade(colour, tone)

        def outline(d: ImageDraw.ImageDraw, x: float = x) -> None:
            d.rounded_rectangle((x - 100, 200, x + 80, 560), radius=60, fill=255)
            d.ellipse((x + 30, 330, x + 130, 470), fill=255)

        layer.fill(Layer.mask(outline), knit_texture(tint, stitch=18))
        layer.fill(
            Layer.mask(lambda d, x=x: d.rectangle((x - 100, 470, x + 80, 600), fill=255)),
            rib_texture(shade(tint, 0.9), width=10),
        )


def draw_scrunchies(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    for index, (cx, cy) in enumerate(((300, 380), (500, 400), (400, 540))):
        ring = Layer.mask(
            lambda d, cx=cx, cy=cy: d.ellipse(
                (cx - 120, cy - 95, cx + 120, cy + 95), outline=255, width=62
            )
        )
        layer.fill(ring, _cloth_texture(cloth, shade(colour, 1.0 - index * 0.08), accent, rng))
        for angle in range(0, 360, 30):
            x = cx + 92 * math.cos(math.radians(angle))
            y = cy + 66 * math.sin(math.radians(angle))
            layer.draw.line(
                (
                    x,
                    y,
                    cx + 120 * math.cos(math.radians(angle)),
                    cy + 95 * math.sin(math.radians(angle)),
                ),
                fill=shade(colour, 0.7) + (255,),
                width=3,
            )


def draw_scarf(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    """Hung over a rail: two ends falling side by side, fringed."""
    texture = _cloth_texture(cloth, colour, accent, rng)
    back = _polygon_mask([(410, 150), (520, 150), (560, 640), (440, 640)])
    layer.fill(back, Image.eval(texture, lambda value: int(value * 0.86)))
    layer.fill(_polygon_mask([(280, 150), (410, 150), (390, 600), (250, 600)]), texture)
    layer.draw.rounded_rectangle((260, 120, 540, 170), radius=24, fill=shade(colour, 0.8) + (255,))
    fringe = shade(colour, 0.85) + (255,)
    for left, right, bottom in ((252, 390, 600), (442, 560, 640)):
        for x in range(left + 4, right, 9):
            layer.draw.line(
                (x, bottom, x + rng.randint(-5, 5), bottom + 50 + rng.randint(-6, 6)),
                fill=fringe,
                width=4,
            )


def draw_beanie(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    dome = Layer.mask(
        lambda d: (
            d.ellipse((230, 200, 570, 560), fill=255),
            d.rectangle((230, 380, 570, 520), fill=255),
        )
    )
    layer.fill(dome, knit_texture(colour, stitch=22))
    brim = Layer.mask(lambda d: d.rounded_rectangle((215, 470, 585, 600), radius=24, fill=255))
    layer.fill(brim, rib_texture(shade(colour, 0.9), width=14))
    pompom = accent or mix(colour, (250, 248, 240), 0.5)
    layer.draw.ellipse((330, 110, 470, 250), fill=pompom + (255,))
    layer.speckle(
        rng,
        (330, 110, 470, 250),
        shade(pompom, 0.8),
        260,
        (2, 5),
        mask=Layer.mask(lambda d: d.ellipse((334, 114, 466, 246), fill=255)),
    )


def draw_folded_linen(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    texture = _cloth_texture(cloth, colour, accent, rng)
    folds = rng.choice((2, 3))
    for index in range(folds):
        top = 560 - index * 130
        left = 170 + rng.randint(-14, 14)
        box = (left, top - 120, left + 460, top)
        layer.fill(
            Layer.mask(lambda d, box=box: d.rounded_rectangle(box, radius=26, fill=255)),
            Image.eval(texture, lambda value, k=0.9 + 0.05 * index: int(value * k)),
        )
        layer.draw.line(
            (box[0] + 20, box[3] - 3, box[2] - 20, box[3] - 3),
            fill=shade(colour, 0.65) + (255,),
            width=5,
        )
    if cloth != "tartan":
        top_box = (box[0] + 300, box[1] + 20, box[0] + 420, box[1] + 80)
        layer.draw.rounded_rectangle(top_box, radius=6, fill=PAPER + (255,))
        write(layer.draw, (top_box[0] + 60, top_box[1] + 30), "Les Ateliers", 15, INK + (255,))


def draw_apron(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    texture = _cloth_texture(cloth, colour, accent, rng)
    layer.fill(
        _polygon_mask(
            [
                (310, 200),
                (490, 200),
                (500, 330),
                (580, 360),
                (560, 680),
                (240, 680),
                (220, 360),
                (300, 330),
            ]
        ),
        texture,
    )
    strap = shade(colour, 0.7) + (255,)
    layer.draw.arc((300, 60, 500, 300), 200, 340, fill=strap, width=12)
    layer.draw.line((220, 360, 120, 420), fill=strap, width=10)
    layer.draw.line((580, 360, 680, 420), fill=strap, width=10)
    layer.draw.rectangle((330, 470, 470, 570), outline=shade(colour, 0.6) + (255,), width=4)


def draw_tote(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    handle = shade(colour, 0.6) + (255,)
    layer.draw.arc((290, 140, 510, 420), 180, 360, fill=handle, width=18)
    layer.fill(
        Layer.mask(lambda d: d.rectangle((220, 290, 580, 670), fill=255)),
        _cloth_texture(cloth, colour, accent, rng),
    )
    layer.draw.rectangle((220, 290, 580, 316), fill=shade(colour, 0.8) + (255,))


def draw_yarn(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    balls = [(300, 470, 150), (510, 500, 125), (420, 320, 110)]
    for index, (cx, cy, r) in enumerate(balls):
        tone = shade(colour, 1.0 - index * 0.06)
        ball = Layer.mask(
            lambda d, cx=cx, cy=cy, r=r: d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
        )
        wraps = Layer()
        wraps.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tone + (255,))
        for turn in range(18):
            angle = rng.uniform(0, math.tau)
            ox, oy = cx + r * 1.1 * math.cos(angle), cy + r * 1.1 * math.sin(angle)
            radius = r * rng.uniform(1.0, 1.5)
            wraps.draw.ellipse(
                (ox - radius, oy - radius, ox + radius, oy + radius),
                outline=shade(tone, 0.75 if turn % 2 else 1.12) + (255,),
                width=4,
            )
        layer.image.paste(wraps.image, (0, 0), ball)
    strand = shade(colour, 0.9) + (255,)
    layer.draw.line(
        [(180, 560), (120, 640), (220, 690), (330, 660)], fill=strand, width=5, joint="curve"
    )


def draw_belt(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    texture = leather_texture(colour)
    rings = Layer.mask(
        lambda d: [
            d.ellipse((400 - r, 410 - r, 400 + r, 410 + r), outline=255, width=48)
            for r in (230, 172, 114)
        ]
    )
    layer.fill(rings, texture)
    stitch = shade(colour, 1.35)
    for r in (222, 190, 164, 132, 106):
        for start in range(0, 360, 8):
            layer.draw.arc(
                (400 - r, 410 - r, 400 + r, 410 + r),
                start,
                start + 4,
                fill=stitch + (255,),
                width=2,
            )
    layer.fill(Layer.mask(lambda d: d.rectangle((560, 380, 700, 440), fill=255)), texture)
    metal = accent or (196, 170, 110)
    layer.draw.rounded_rectangle((600, 360, 660, 460), radius=10, outline=metal + (255,), width=10)
    layer.draw.line((630, 364, 630, 456), fill=shade(metal, 0.8) + (255,), width=6)


def draw_wallet(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    texture = leather_texture(colour)
    layer.fill(
        Layer.mask(lambda d: d.rounded_rectangle((200, 270, 600, 560), radius=30, fill=255)),
        texture,
    )
    flap = Layer.mask(lambda d: d.rounded_rectangle((200, 270, 600, 400), radius=30, fill=255))
    layer.fill(flap, Image.eval(texture, lambda value: int(value * 0.9)))
    stitch = shade(colour, 1.4)
    for a, b in (
        ((222, 292), (578, 292)),
        ((578, 292), (578, 538)),
        ((578, 538), (222, 538)),
        ((222, 538), (222, 292)),
        ((222, 398), (578, 398)),
    ):
        _dashes(layer.draw, a, b, stitch + (255,), dash=8)
    metal = accent or (196, 170, 110)
    layer.draw.ellipse(
        (380, 370, 420, 410), fill=metal + (255,), outline=shade(metal, 0.7) + (255,), width=3
    )


def draw_bag(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    texture = _cloth_texture(cloth, colour, accent, rng)
    layer.draw.arc((290, 150, 510, 420), 180, 360, fill=shade(colour, 0.7) + (255,), width=20)
    layer.fill(_polygon_mask([(250, 300), (550, 300), (600, 660), (200, 660)]), texture)
    flap = _polygon_mask([(250, 300), (550, 300), (530, 450), (270, 450)])
    layer.fill(flap, Image.eval(texture, lambda value: int(value * 0.88)))
    _dashes(layer.draw, (268, 440), (532, 440), shade(colour, 1.35) + (255,))
    metal = accent or (196, 170, 110)
    layer.draw.rounded_rectangle((380, 430, 420, 470), radius=6, fill=metal + (255,))


# --- food motifs ----------------------------------------------------------------------------


def _board(layer: Layer, box: Box) -> None:
    """A wooden cutting board under cheese, charcuterie and bread."""
    layer.draw.rounded_rectangle(box, radius=40, fill=WOOD + (255,))
    for offset in range(int(box[1]) + 18, int(box[3]) - 10, 16):
        layer.draw.line(
            (box[0] + 30, offset, box[2] - 30, offset + 4), fill=shade(WOOD, 0.9) + (255,), width=2
        )


def _label(layer: Layer, box: Box, text: str, colour: Colour) -> None:
    layer.draw.rounded_rectangle(
        box, radius=14, fill=PAPER + (255,), outline=colour + (255,), width=5
    )
    words, lines = text.split(), [""]
    for word in words:
        candidate = f"{lines[-1]} {word}".strip()
        if font(30).getlength(candidate) <= box[2] - box[0] - 30:
            lines[-1] = candidate
        else:
            lines.append(word)
    lines = lines[:3]
    centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for index, line in enumerate(lines):
        y = centre_y + (index - (len(lines) - 1) / 2) * 34
        write(layer.draw, (centre_x, y), line, 30, INK + (255,))


def draw_jar(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    if rng.random() < 0.5:
        _small_jar(layer, (520, 300, 660, 600), colour, accent)
    layer.draw.rounded_rectangle((250, 250, 510, 660), radius=46, fill=colour + (255,))
    layer.draw.rounded_rectangle(
        (276, 290, 304, 620), radius=14, fill=mix(colour, (255, 255, 255), 0.45) + (255,)
    )
    lid = accent or (186, 150, 80)
    layer.draw.rounded_rectangle((262, 190, 498, 262), radius=12, fill=lid + (255,))
    if cloth == "gingham":
        cap = _polygon_mask(
            [(236, 250), (250, 170), (510, 170), (524, 250), (470, 290), (290, 290)]
        )
        layer.fill(cap, weave_texture((246, 240, 232), rng, stripes=(lid,), check=True))
    else:
        for y in range(200, 256, 12):
            layer.draw.line((266, y, 494, y), fill=shade(lid, 0.82) + (255,), width=3)
    _label(layer, (268, 380, 492, 540), label, shade(colour, 0.7))


def _small_jar(layer: Layer, box: Box, colour: Colour, accent: Colour | None) -> None:
    x0, y0, x1, y1 = box
    layer.draw.rounded_rectangle(
        (x0, y0 + 40, x1, y1), radius=30, fill=shade(colour, 0.85) + (255,)
    )
    layer.draw.rounded_rectangle(
        (x0 + 8, y0, x1 - 8, y0 + 50), radius=8, fill=shade(accent or (186, 150, 80), 0.85) + (255,)
    )


def draw_cheese(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    _board(layer, (110, 430, 690, 690))
    if cloth == "wheel":
        rind = accent or shade(colour, 0.75)
        layer.draw.rectangle((190, 380, 610, 520), fill=rind + (255,))
        layer.draw.ellipse((190, 450, 610, 590), fill=rind + (255,))
        layer.draw.ellipse((190, 310, 610, 450), fill=shade(rind, 1.1) + (255,))
        layer.draw.pieslice((190, 310, 610, 450), 20, 80, fill=colour + (255,))
        layer.draw.polygon([(400, 380), (588, 410), (588, 480), (400, 450)], fill=colour + (255,))
        rind_mask = Layer.mask(
            lambda d: (
                d.ellipse((190, 310, 610, 450), fill=255),
                d.rectangle((190, 380, 610, 520), fill=255),
                d.ellipse((190, 450, 610, 590), fill=255),
                d.pieslice((190, 310, 610, 450), 20, 80, fill=0),
                d.polygon([(400, 380), (588, 410), (588, 480), (400, 450)], fill=0),
            )
        )
        layer.speckle(rng, (190, 310, 610, 590), shade(rind, 0.85), 160, (2, 4), mask=rind_mask)
        return
    for cx, cy in rng.sample([(270, 480), (420, 450), (540, 510), (340, 560), (480, 590)], k=3):
        layer.draw.ellipse((cx - 90, cy - 10, cx + 90, cy + 60), fill=shade(colour, 0.88) + (255,))
        layer.draw.rectangle(
            (cx - 90, cy - 40, cx + 90, cy + 25), fill=shade(colour, 0.93) + (255,)
        )
        top = (cx - 90, cy - 75, cx + 90, cy - 5)
        layer.draw.ellipse(top, fill=colour + (255,))
        layer.speckle(
            rng,
            top,
            shade(colour, 0.85),
            40,
            (2, 4),
            mask=Layer.mask(lambda d, top=top: d.ellipse(top, fill=255)),
        )
    if accent:  # a sprig of herbs or a chestnut leaf
        for angle in range(-40, 50, 20):
            x = 600 + 80 * math.cos(math.radians(angle))
            layer.draw.ellipse((x - 18, 360 + angle, x + 18, 380 + angle), fill=accent + (255,))


def draw_sausage(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    _board(layer, (100, 420, 700, 700))
    casing = shade(colour, 0.85)
    stick = Layer()
    stick.draw.rounded_rectangle((150, 360, 590, 470), radius=55, fill=casing + (255,))
    stick.speckle(
        rng,
        (150, 360, 590, 470),
        (238, 232, 222),
        280,
        (2, 5),
        mask=Layer.mask(lambda d: d.rounded_rectangle((150, 360, 590, 470), radius=55, fill=255)),
    )
    for x in range(220, 560, 70):
        stick.draw.line((x, 362, x + 10, 468), fill=(236, 226, 204, 255), width=4)
    turned = stick.image.crop((130, 300, 610, 530)).rotate(rng.uniform(-12, 4), expand=True)
    layer.image.alpha_composite(turned, (370 - turned.width // 2, 415 - turned.height // 2))
    for index in range(rng.randint(3, 5)):
        cx, cy = 280 + index * 85, 560 + rng.randint(-12, 12)
        layer.draw.ellipse(
            (cx - 56, cy - 56, cx + 56, cy + 56),
            fill=colour + (255,),
            outline=casing + (255,),
            width=6,
        )
        layer.speckle(
            rng,
            (cx - 45, cy - 45, cx + 45, cy + 45),
            (244, 232, 224),
            30,
            (2, 5),
            mask=Layer.mask(
                lambda d, cx=cx, cy=cy: d.ellipse((cx - 48, cy - 48, cx + 48, cy + 48), fill=255)
            ),
        )


def draw_loaf(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    _board(layer, (110, 440, 690, 700))
    crust = Layer()
    box = (170, 250, 630, 620) if cloth != "long" else (110, 370, 690, 560)
    crust.draw.ellipse(box, fill=shade(colour, 0.78) + (255,))
    inner = (box[0] + 24, box[1] + 18, box[2] - 24, box[3] - 36)
    crust.draw.ellipse(inner, fill=colour + (255,))
    # A blurred crust edge reads as baked; blurring a quarter-size copy is as good and faster.
    quarter = crust.image.resize((HALF // 2, HALF // 2)).filter(ImageFilter.GaussianBlur(1.5))
    layer.image.alpha_composite(quarter.resize((SIZE, SIZE), Image.Resampling.BICUBIC))
    score = mix(colour, (250, 236, 200), 0.55) + (255,)
    if cloth == "long":
        for x in range(200, 620, 90):
            layer.draw.line((x, 420, x + 60, 500), fill=score, width=12)
    else:
        for offset in (-70, 0, 70):
            layer.draw.arc((250 + offset, 300, 550 + offset, 560), 240, 300, fill=score, width=12)
    layer.speckle(
        rng, box, (246, 240, 228), 90, (1, 3), mask=Layer.mask(lambda d: d.ellipse(box, fill=255))
    )


def draw_biscuits(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    layer.draw.ellipse((120, 380, 680, 690), fill=PAPER + (255,))
    for _ in range(9):
        cx, cy = rng.uniform(220, 580), rng.uniform(440, 620)
        w, h = rng.uniform(60, 90), rng.uniform(30, 45)
        layer.draw.rounded_rectangle(
            (cx - w, cy - h, cx + w, cy + h),
            radius=int(h),
            fill=shade(colour, rng.uniform(0.85, 1.05)) + (255,),
            outline=shade(colour, 0.75) + (255,),
            width=3,
        )
        nut = accent or mix(colour, (250, 244, 230), 0.5)
        for _ in range(3):
            nx, ny = cx + rng.uniform(-w * 0.6, w * 0.6), cy + rng.uniform(-h * 0.5, h * 0.5)
            layer.draw.ellipse((nx - 10, ny - 6, nx + 10, ny + 6), fill=nut + (255,))
    _label(layer, (260, 180, 540, 320), label, shade(colour, 0.7))


def draw_garlic(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    streak = accent or (170, 92, 140)
    spots = (
        [(400, 300), (280, 480), (520, 480)]
        if cloth != "braid"
        else [(400, 220), (350, 360), (450, 360), (400, 500)]
    )
    stalk = (196, 176, 120)
    if cloth == "braid":
        for y in range(120, 640, 40):
            layer.draw.line((380, y, 420, y + 40), fill=stalk + (255,), width=16)
            layer.draw.line((420, y, 380, y + 40), fill=shade(stalk, 0.85) + (255,), width=16)
    for cx, cy in spots:
        size = rng.uniform(0.9, 1.1) * (105 if cloth != "braid" else 85)
        layer.draw.polygon(
            [
                (cx - 16, cy - size * 1.25),
                (cx + 16, cy - size * 1.25),
                (cx + size * 0.5, cy - size * 0.4),
                (cx - size * 0.5, cy - size * 0.4),
            ],
            fill=mix(colour, stalk, 0.3) + (255,),
        )
        for dx in (-0.55, 0.55, -0.2, 0.2):
            layer.draw.ellipse(
                (
                    cx + dx * size - size * 0.5,
                    cy - size * 0.75,
                    cx + dx * size + size * 0.5,
                    cy + size * 0.75,
                ),
                fill=shade(colour, 0.98 - abs(dx) * 0.08) + (255,),
                outline=shade(colour, 0.85) + (255,),
                width=2,
            )
        for dx in (-0.5, -0.15, 0.15, 0.5):
            layer.draw.arc(
                (
                    cx + dx * size - size * 0.3,
                    cy - size * 0.7,
                    cx + dx * size + size * 0.3,
                    cy + size * 0.7,
                ),
                100,
                260,
                fill=streak + (255,),
                width=4,
            )
        for root in range(7):
            rx = cx + (root - 3) * 8
            layer.draw.line(
                (rx, cy + size * 0.72, rx + rng.randint(-8, 8), cy + size * 0.9),
                fill=(204, 190, 160, 255),
                width=2,
            )


def draw_vegetables(
    layer: Layer, rng: random.Random, colour: Colour, accent: Colour | None, cloth: str, label: str
) -> None:
    crate = (160, 118, 78)
    layer.draw.rectangle((140, 470, 660, 690), fill=crate + (255,))
    top = accent or (78, 130, 60)
    items = [(rng.uniform(200, 600), rng.uniform(380, 480)) for _ in range(9)]
    for cx, cy in sorted(items, key=lambda point: point[1]):
        tone = shade(colour, rng.uniform(0.85, 1.08))
        if cloth == "carrot":
            angle = rng.uniform(-0.5, 0.5)
            tip = (cx + 200 * math.sin(angle), cy + 200 * math.cos(angle) * 0.4 + 60)
            layer.draw.polygon([(cx - 22, cy), (cx + 22, cy), tip], fill=tone + (255,))
            for leaf in (-20, 0, 20):
                layer.draw.line((cx, cy, cx + leaf, cy - 90), fill=top + (255,), width=6)
            continue
        radius = {"squash": 110, "salad": 95, "potato": 55}.get(cloth, 60) * rng.uniform(0.85, 1.1)
        squash = 0.7 if cloth == "potato" else 1.0
        layer.draw.ellipse(
            (cx - radius, cy - radius * squash, cx + radius, cy + radius * squash),
            fill=tone + (255,),
            outline=shade(tone, 0.8) + (255,),
            width=3,
        )
        if cloth == "salad":
            for ring in (0.75, 0.5, 0.25):
                layer.draw.arc(
                    (
                        cx - radius * ring,
                        cy - radius * ring,
                        cx + radius * ring,
                        cy + radius * ring,
                    ),
                    rng.randint(0, 90),
                    rng.randint(200, 330),
                    fill=shade(tone, 1.15) + (255,),
                    width=5,
                )
        elif cloth == "squash":
            for rib in (-0.5, 0, 0.5):
                layer.draw.arc(
                    (
                        cx + rib * radius - radius * 0.4,
                        cy - radius,
                        cx + rib * radius + radius * 0.4,
                        cy + radius,
                    ),
                    60,
                    300,
                    fill=shade(tone, 0.85) + (255,),
                    width=3,
                )
            layer.draw.rectangle(
                (cx - 8, cy - radius - 20, cx + 8, cy - radius + 6), fill=(110, 90, 50, 255)
            )
        elif cloth == "potato":
            layer.speckle(
                rng,
                (cx - radius, cy - radius * 0.6, cx + radius, cy + radius * 0.6),
                shade(tone, 0.75),
                8,
                (2, 4),
            )
        else:
            layer.draw.regular_polygon((cx, cy - radius * 0.85, 20), 5, fill=top + (255,))
    for plank in range(490, 690, 50):
        layer.draw.rectangle((140, plank, 660, plank + 40), fill=shade(crate, 1.05) + (255,))


MOTIFS: dict[str, Callable[..., None]] = {
    "jumper": draw_jumper,
    "cardigan": draw_cardigan,
    "shirt": draw_shirt,
    "socks": draw_socks,
    "trousers": draw_trousers,
    "mittens": draw_mittens,
    "scrunchies": draw_scrunchies,
    "scarf": draw_scarf,
    "beanie": draw_beanie,
    "folded_linen": draw_folded_linen,
    "apron": draw_apron,
    "tote": draw_tote,
    "yarn": draw_yarn,
    "belt": draw_belt,
    "wallet": draw_wallet,
    "bag": draw_bag,
    "jar": draw_jar,
    "cheese": draw_cheese,
    "sausage": draw_sausage,
    "loaf": draw_loaf,
    "biscuits": draw_biscuits,
    "garlic": draw_garlic,
    "vegetables": draw_vegetables,
}
FOOD_MOTIFS = {"jar", "cheese", "sausage", "loaf", "biscuits", "garlic", "vegetables"}


# --- composition -----------------------------------------------------------------------------


def _backdrop(rng: random.Random, kitchen: bool) -> Image.Image:
    """A wall and a table top: one column drawn small, smoothed, then stretched sideways."""
    small = SIZE // 8
    wall = rng.choice(BACKDROPS["kitchen" if kitchen else "studio"])
    table = mix(wall, (196, 170, 140) if kitchen else (200, 200, 196), 0.35)
    gradient = Image.linear_gradient("L").resize((1, small))
    column = Image.composite(
        Image.new("RGB", (1, small), shade(wall, 0.94)),
        Image.new("RGB", (1, small), wall),
        gradient,
    )
    horizon = rng.randint(560, 620) // 8
    ImageDraw.Draw(column).rectangle((0, horizon, 1, small), fill=table)
    column = column.resize((1, SIZE), Image.Resampling.BILINEAR)
    return column.resize((SIZE, SIZE), Image.Resampling.NEAREST)


@lru_cache(maxsize=1)
def _lighting() -> Image.Image:
    """Light from the upper left: multiplies the object so that it looks round."""
    # radial_gradient is dark at the centre; shifted, its centre sits above left of the object.
    light = Image.radial_gradient("L").resize((SIZE * 2, SIZE * 2))
    light = light.crop((SIZE // 2 + 140, SIZE // 2 + 120, SIZE * 3 // 2 + 140, SIZE * 3 // 2 + 120))
    return light.point(lambda value: 255 - value * 80 // 255)


def _compose(layer: Layer, rng: random.Random, kitchen: bool, tilt: float) -> Image.Image:
    obj = layer.image
    if tilt:
        # Rotating only the object's bounding box is several times cheaper than the whole sheet.
        box = obj.getbbox()
        turned = obj.crop(box).rotate(tilt, resample=Image.Resampling.BILINEAR, expand=True)
        obj = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
        obj.paste(
            turned, ((box[0] + box[2] - turned.width) // 2, (box[1] + box[3] - turned.height) // 2)
        )
    alpha = obj.getchannel("A")
    # The shadow falls down and to the right of the object, blurred at a quarter of the size.
    small = alpha.reduce(4).filter(ImageFilter.GaussianBlur(5))
    shadow = small.crop((-4, -6, SIZE // 4 - 4, SIZE // 4 - 6)).resize(
        (SIZE, SIZE), Image.Resampling.BILINEAR
    )
    image = _backdrop(rng, kitchen)
    image.paste((60, 48, 40), (0, 0), shadow.point(lambda value: value * 45 // 100))
    box = alpha.getbbox()
    lit = ImageChops.multiply(obj.crop(box).convert("RGB"), _lighting().crop(box).convert("RGB"))
    image.paste(lit, box, alpha.crop(box))
    return image


def draw_product_picture(
    *,
    motif: str,
    colour: Colour,
    seed: str,
    label: str,
    accent: Colour | None = None,
    cloth: str = "",
) -> Image.Image:
    """One shop photograph of a product: its motif, in its colour, on a table."""
    rng = random.Random(seed)
    layer = Layer()
    MOTIFS[motif](layer, rng, colour, accent, cloth, label)
    tilt = 0.0 if motif in FOOD_MOTIFS else rng.uniform(-6, 6)
    return _compose(layer, rng, kitchen=motif in FOOD_MOTIFS, tilt=tilt)


def draw_detail_picture(
    *, colour: Colour, seed: str, label: str, accent: Colour | None = None, cloth: str = "knit"
) -> Image.Image:
    """A close-up of the cloth with the workshop's paper tag, the second picture of a textile."""
    rng = random.Random(f"{seed}-detail")
    if cloth == "knit":
        texture = knit_texture(colour, stitch=96)
    else:
        texture = _cloth_texture(cloth or "weave", colour, accent, rng)
    # A close-up has a shallow depth of field; the blur also keeps the JPEG small.
    texture = texture.filter(ImageFilter.GaussianBlur(1.2))
    image = ImageChops.multiply(texture.convert("RGB"), Image.merge("RGB", [_lighting()] * 3))
    tag = Layer()
    tag.draw.rounded_rectangle((470, 560, 740, 720), radius=12, fill=PAPER + (255,))
    tag.draw.ellipse((490, 580, 514, 604), fill=(0, 0, 0, 0), outline=INK + (255,), width=3)
    write(tag.draw, (605, 625), "Les Ateliers", 28, INK + (255,))
    write(tag.draw, (605, 668), label[:22], 20, shade(INK, 1.4) + (255,))
    tag_image = tag.image.crop((455, 545, 755, 735)).rotate(
        rng.uniform(-8, 8), resample=Image.Resampling.BICUBIC, expand=True
    )
    corner = (605 - tag_image.width // 2, 640 - tag_image.height // 2)
    image.paste(tag_image.convert("RGB"), corner, tag_image.getchannel("A"))
    return image


def draw_vendor_logo(*, initials: str, colour: Colour, seed: str, size: int = 320) -> Image.Image:
    """A round stamp with the Vendor's initials, like the ink stamp on their paper bags."""
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size), PAPER)
    draw = ImageDraw.Draw(image)
    draw.ellipse((16, 16, size - 16, size - 16), fill=colour)
    draw.ellipse((34, 34, size - 34, size - 34), outline=mix(colour, PAPER, 0.7), width=4)
    for angle in range(0, 360, rng.choice((15, 20, 30))):
        x = size / 2 + (size / 2 - 25) * math.cos(math.radians(angle))
        y = size / 2 + (size / 2 - 25) * math.sin(math.radians(angle))
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=mix(colour, PAPER, 0.7))
    write(draw, (size / 2, size / 2), initials, size // 3, PAPER)
    return image


def save_picture(image: Image.Image, path: Path) -> tuple[int, int]:
    """Write an optimised JPEG (what the storefront serves as is) and give its size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return image.size
