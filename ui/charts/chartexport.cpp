#include "ui/charts/chartexport.h"
#include "ui/charts/chartstyle.h"

#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <cmath>

namespace sigscope::ui {

namespace {

int dotsPerMeter(int dpi)
{
    return static_cast<int>(std::lround(dpi / 0.0254));
}

} // namespace

std::optional<ExportFormat> exportFormatForPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return ExportFormat::Png;
    if (suffix == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (suffix == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    return std::nullopt;
}

QImage renderChartImage(const Renderable& scene, QSize size, int dpi, const RenderOptions& options)
{
    QImage image(size, QImage::Format_RGB32);
    image.setDotsPerMeterX(dotsPerMeter(dpi));
    image.setDotsPerMeterY(dotsPerMeter(dpi));
    image.fill(style::paletteFor(options.dark).background);
    QPainter painter(&image);
    scene.render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), options);
    return image;
}

bool exportChart(const Renderable& scene, const QString& path, const ExportOptions& options, QString* error)
{
    const auto fail = [&](const QString& reason) {
        if (error)
            *error = QStringLiteral("Cannot export the chart to %1: %2").arg(path, reason);
        return false;
    };
    const auto format = exportFormatForPath(path);
    if (!format)
        return fail(QStringLiteral("unknown format (use .png, .svg or .pdf)"));
    if (options.size.width() < 100 || options.size.height() < 100)
        return fail(QStringLiteral("size %1x%2 is too small").arg(options.size.width()).arg(options.size.height()));
    if (options.dpi < 24 || options.dpi > 2400)
        return fail(QStringLiteral("%1 dpi is out of range (24 to 2400)").arg(options.dpi));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());

    switch (*format) {
    case ExportFormat::Png: {
        QImage image = renderChartImage(scene, options.size, options.dpi, options.render);
        // The title drawn on the chart also goes into the file (a PNG "Title" text chunk), as the
        // SVG <title> and the PDF document title carry it.
        if (!options.render.title.isEmpty())
            image.setText(QStringLiteral("Title"), options.render.title);
        image.setText(QStringLiteral("Software"), QStringLiteral("sigscope"));
        if (!image.save(&file, "PNG"))
            return fail(QStringLiteral("PNG encoding failed"));
        break;
    }
    case ExportFormat::Svg: {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(options.size);
        svg.setViewBox(QRect(QPoint(0, 0), options.size));
        svg.setResolution(96);
        // QSvgGenerator (Qt 6.4) writes title and description into the XML as they are: escape
        // them here, or a title with '<', '&' or '"' makes the file unreadable.
        svg.setTitle((options.render.title.isEmpty() ? QStringLiteral("sigscope chart") : options.render.title)
                         .toHtmlEscaped());
        svg.setDescription(QStringLiteral("Signal traces exported by sigscope"));
        QPainter painter;
        if (!painter.begin(&svg))
            return fail(QStringLiteral("the SVG generator could not start"));
        scene.render(&painter, QRectF(QPointF(0, 0), QSizeF(options.size)), options.render);
        painter.end();
        break;
    }
    case ExportFormat::Pdf: {
        QPdfWriter pdf(&file);
        pdf.setCreator(QStringLiteral("sigscope"));
        pdf.setTitle(options.render.title);
        const int resolution = std::max(options.dpi, 300); // vector output; the raster grid only sets columns
        pdf.setResolution(resolution);
        // The page is the chart: its size at 96 dpi, in points.
        const QSizeF points(options.size.width() * 72.0 / 96.0, options.size.height() * 72.0 / 96.0);
        pdf.setPageSize(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter painter;
        if (!painter.begin(&pdf))
            return fail(QStringLiteral("the PDF writer could not start"));
        const QRect page = painter.viewport();
        scene.render(&painter, QRectF(page), options.render);
        painter.end();
        break;
    }
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace sigscope::ui
