"""The charts' one style: colours, markers, line styles, sizes at print.

The Okabe–Ito colour-blind-safe palette, and a second cue besides colour for every series
(marker and line style per group, hatching per bar segment), so a greyscale print still
reads. Sizes are those on paper: figures are drawn at the width they take in the PDF.
"""

from __future__ import annotations

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
SERIES_COLOURS = ["#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
LINESTYLES = ["-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1))]
RCI_STYLE = {
    "n_reliably_improved": ("#009E73", "///"),
    "n_no_reliable_change": ("#D9D9D9", ""),
    "n_reliably_deteriorated": ("#D55E00", "xx"),
}
TEXT_WIDTH_IN = 6.69
"""The PDF's text width (A4, 2 cm margins either side), in inches."""
PRINT_SHARE = {"means": 0.48, "change": 0.48, "rci": 1.0, "flow": 1.0, "forest": 1.0}
"""Share of the text width each kind of chart takes in the PDF. Figures are drawn at that
very size, so a font size here is its size on paper (the PDF places them unscaled)."""
MIN_FONT_PT = 8.0
"""Smallest text in any chart, at print size."""
WIDTH_IN = TEXT_WIDTH_IN
BAR_HEIGHT = 0.6
"""Bar thickness in rows; the gap below each bar holds its privacy note, if any."""
LABEL_MIN_PERCENT = 9
"""Bar segments narrower than this (% of the axis) get no percentage label."""
