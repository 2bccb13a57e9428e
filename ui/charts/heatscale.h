#pragma once

#include "ui/charts/chartstyle.h"

#include <QColor>
#include <QRect>
#include <QString>

#include <functional>

class QPainter;

// What the heat pictures (the sweep heatmap, the agreement matrix) share: the sequential colour
// scale, the colour bar with its values, and equal integer cell edges for a grid of cells.
namespace sigscope::ui {

// Colour of t in [0, 1] on the heatmaps' sequential scale (dark blue-violet -> teal -> yellow, in
// lightness order, so that it reads in grey and for colour-vision deficiencies); clamped.
QColor heatmapColour(double t);

// Edge i of n equal integer parts of [start, start + length): adjacent cells share their edges.
int cellEdge(int start, int length, int i, int n);
// The part holding coordinate p (cellEdge(i) <= p < cellEdge(i + 1)), -1 outside.
int cellPartAt(int start, int length, int n, int p);

// A colour bar: heatmapColour from min (bottom) to max (top), labelled with text(min), text(max)
// and the round values between them (numberTicks, followed by tickSuffix). A NaN min: one "n/a"
// label; min == max: one label in the middle.
struct ColourScale
{
    double min = 0;
    double max = 1;
    std::function<QString(double)> text;
    QString tickSuffix;
};
void paintColourBar(QPainter* painter, const QRect& bar, const QRectF& labels, const ColourScale& scale,
                    const style::Metrics& m);

} // namespace sigscope::ui
