#!/usr/bin/env python3
"""Reference values for test/reference-importers/bpe.test.ts, computed with an independent tool.

Converts projected BPE coordinates to WGS84 longitude/latitude with pyproj (PROJ), using the
official EPSG definitions from PROJ's database, not the proj4 strings used by src/reference/bpe.ts.

Run:   apt-get install -y python3-pyproj && /usr/bin/python3 test/reference/lambert93.py
Output (pyproj 3.4.1, PROJ 9.1.1) is pasted into the test, in the same order.
"""
from pyproj import Transformer

POINTS = [
    # (EPSG, x, y, what)
    (2154, 700000.0, 6600000.0, "Lambert-93 false origin (lon_0=3, lat_0=46.5)"),
    (2154, 652470.0, 6862035.0, "Paris, near Notre-Dame"),
    (2154, 417240.0, 6422720.0, "Bordeaux"),
    (2154, 145060.0, 6836900.0, "Brest"),
    (2154, 1050310.0, 6840900.0, "Strasbourg"),
    (2154, 1177700.0, 6110000.0, "Ajaccio"),
    (5490, 652000.0, 1780000.0, "Guadeloupe, RGAF09 / UTM 20N"),
    (5490, 710000.0, 1620000.0, "Martinique, RGAF09 / UTM 20N"),
    (2972, 352000.0, 548000.0, "Guyane, RGFG95 / UTM 22N"),
    (2975, 340000.0, 7690000.0, "La Reunion, RGR92 / UTM 40S"),
    (4471, 515000.0, 8585000.0, "Mayotte, RGM04 / UTM 38S"),
]

for epsg, x, y, what in POINTS:
    t = Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)
    lon, lat = t.transform(x, y)
    print(f"[{epsg}, {x:.1f}, {y:.1f}, {lat:.9f}, {lon:.9f}],  // {what}")
