"""Colour arithmetic for the charts' palette (council.framework.palette): how a colour looks with a
colour-vision deficiency, how far apart two colours look, and contrast against a background.

- Deficiencies: Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of
  Color Vision Deficiency", the matrices for severity 1.0 (dichromacy), applied to linear RGB.
- Difference: CIEDE2000 (Sharma, Wu & Dalal 2005) on CIELAB with the D65 white of sRGB.
- Contrast: WCAG 2.x relative luminance and contrast ratio (1.4.11 asks 3:1 for graphics).
"""

from __future__ import annotations

import math

RGB = tuple[float, float, float]

#: severity 1.0, rows give the simulated linear R, G, B from the original linear R, G, B
MACHADO: dict[str, tuple[RGB, RGB, RGB]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS = ("normal", *MACHADO)


def hex_to_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b)


def to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def linear_rgb(value: str) -> RGB:
    r, g, b = hex_to_rgb(value)
    return (to_linear(r), to_linear(g), to_linear(b))


def simulate(linear: RGB, vision: str) -> RGB:
    """The linear RGB a viewer with `vision` perceives as the same colour (clipped to the gamut)."""
    if vision == "normal":
        return linear
    matrix = MACHADO[vision]
    r, g, b = (
        min(1.0, max(0.0, row[0] * linear[0] + row[1] * linear[1] + row[2] * linear[2])) for row in matrix
    )
    return (r, g, b)


def lab(linear: RGB) -> RGB:
    """CIELAB (D65) of a linear sRGB colour."""
    r, g, b = linear
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def ciede2000(lab1: RGB, lab2: RGB) -> float:
    """ΔE00 between two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    dHp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lp_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hp_bar = (h1p + h2p + 360) / 2
    else:
        hp_bar = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hp_bar - 30))
        + 0.24 * math.cos(math.radians(2 * hp_bar))
        + 0.32 * math.cos(math.radians(3 * hp_bar + 6))
        - 0.20 * math.cos(math.radians(4 * hp_bar - 63))
    )
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
    sl = 1 + 0.015 * (lp_bar - 50) ** 2 / math.sqrt(20 + (lp_bar - 50) ** 2)
    sc = 1 + 0.045 * cp_bar
    sh = 1 + 0.015 * cp_bar * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dcp / sc) * (dHp / sh))


def difference(colour1: str, colour2: str, vision: str = "normal") -> float:
    """ΔE00 between two sRGB colours (hex) as a viewer with `vision` sees them."""
    return ciede2000(lab(simulate(linear_rgb(colour1), vision)), lab(simulate(linear_rgb(colour2), vision)))


def lightness(colour: str, vision: str = "normal") -> float:
    """CIELAB L* of an sRGB colour (hex) as a viewer with `vision` sees it."""
    return lab(simulate(linear_rgb(colour), vision))[0]


def luminance(colour: str) -> float:
    r, g, b = linear_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour1: str, colour2: str) -> float:
    """The WCAG contrast ratio of two sRGB colours (hex), 1 to 21."""
    high, low = sorted((luminance(colour1), luminance(colour2)), reverse=True)
    return (high + 0.05) / (low + 0.05)
