"""The SVG charts: accessible names, escaped texts, bars and lines where the values say."""

import re
from xml.etree import ElementTree

from rma.analytics import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    return ElementTree.fromstring(str(markup))


def test_bar_chart_is_a_named_image_with_one_bar_per_value():
    bars = [charts.Bar("Too small", 9, "9"), charts.Bar("Defective", 3, "3")]
    svg = charts.bar_chart(chart_id="c1", title="Reasons <for> returns", desc="Units & shares", bars=bars, empty="-")
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Reasons <for> returns"  # escaped in the markup, intact when read
    assert root.find(f"{SVG}desc").text == "Units & shares"
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert len(widths) == 2 and widths[0] == 3 * widths[1]
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Too small", "9", "Defective", "3"]


def test_empty_chart_says_so():
    root = parse(charts.bar_chart(chart_id="c2", title="T", desc="D", bars=[], empty="No data"))
    assert root.get("role") == "img" and root.find(f"{SVG}text").text == "No data"


def test_line_chart_draws_each_series_and_breaks_at_gaps():
    svg = charts.line_chart(
        chart_id="c3", title="Rate", desc="Rate over time", labels=["1 Oct", "2 Oct", "3 Oct", "4 Oct"],
        series=[charts.Series("A", [0.1, 0.2, None, 0.4]), charts.Series("B", [0.3, 0.3, 0.3, 0.3])],
        axis=[(0.0, "0%"), (0.2, "20%"), (0.4, "40%")], empty="No data",
    )  # fmt: skip
    root = parse(svg)
    polylines = list(root.iter(f"{SVG}polyline"))
    assert len(polylines) == 2  # A's first two points and B; A's last point stands alone as a dot
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    ys = [float(p.split(",")[1]) for p in polylines[0].get("points").split()]
    assert ys[0] > ys[1]  # a higher value is drawn higher up
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"0%", "20%", "40%", "1 Oct", "4 Oct", "A", "B"} <= set(texts)
    assert polylines[1].get("stroke-dasharray")  # told apart by dashes as well as colour


def test_nice_axis_reaches_the_top():
    assert charts.nice_axis(0.25) == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert charts.nice_axis(137) == [0, 50, 100, 150, 200]
    assert charts.nice_axis(0) == [0.0]


def test_no_markup_gets_through_a_label():
    svg = str(charts.bar_chart(chart_id="c4", title="T", desc="D", bars=[charts.Bar("<script>x</script>", 1, "1")],
                               empty=""))  # fmt: skip
    assert "<script>" not in svg and re.search(r"&lt;script&gt;", svg)


def test_a_line_at_zero_is_drawn_not_called_empty():
    series = [charts.Series("rate", [0.0, 0.0])]
    svg = charts.line_chart(chart_id="z", title="T", desc="D", labels=["a", "b"], series=series,
                            axis=[(0.0, "0%")], empty="No data")  # fmt: skip
    assert "No data" not in svg and "<polyline" in svg


def test_legend_entries_wrap_instead_of_overlapping():
    names = ["Ich habe es mir anders überlegt", "Zu klein", "Beschädigt angekommen", "Falscher Artikel geliefert",
             "Nicht wie beschrieben", "返品の理由がとても長い名前"]  # fmt: skip
    places = charts.legend_layout(names, start=64, end=544)
    boxes = [
        (x, row, x + charts.LEGEND_SWATCH + charts.text_width(name))
        for (x, row), name in zip(places, names, strict=True)
    ]
    for x, _row, right in boxes:
        assert x >= 64 and right <= 544
    for i, (x1, row1, right1) in enumerate(boxes):
        for x2, row2, right2 in boxes[i + 1 :]:
            assert row1 != row2 or right1 <= x2 or right2 <= x1
    assert max(row for _x, row in places) >= 1  # they did not all fit on one row
