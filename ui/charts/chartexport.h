#pragma once

#include "ui/charts/renderable.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <optional>

// Chart export (issue 5): a picture (the lanes chart or the overview raster) rendered by the same
// code as its widget into PNG (raster,
// with a DPI), SVG and PDF (vector), or an image for the clipboard. Files are written
// atomically (QSaveFile): a failed export leaves no partial file behind.
namespace sigscope::ui {

enum class ExportFormat { Png, Svg, Pdf };

// What an export shows by default: title, axis titles and legend as set, no cursor or readout.
inline RenderOptions exportRenderOptions()
{
    RenderOptions options;
    options.cursor = false;
    options.readout = false;
    options.legend = true;
    return options;
}

struct ExportOptions
{
    QSize size{1600, 900}; // pixels for PNG; for SVG/PDF the size at 96 dpi (PDF page = that size)
    int dpi = 96;          // PNG: fonts and lines scale with it; PDF: raster resolution of the writer
    RenderOptions render = exportRenderOptions();
};

// From the file suffix (.png, .svg, .pdf; case-insensitive).
std::optional<ExportFormat> exportFormatForPath(const QString& path);

QImage renderChartImage(const Renderable& scene, QSize size, int dpi, const RenderOptions& options);

// Writes `path` in the format of its suffix. On failure returns false and sets *error to a
// sentence naming the file and the reason.
bool exportChart(const Renderable& scene, const QString& path, const ExportOptions& options, QString* error);

} // namespace sigscope::ui
