#pragma once

#include "core/analysis/histogram.h"

#include <QString>
#include <QWidget>

// One histogram (core::histogram) drawn with QPainter: a bar per bin, counts on the y axis, the
// bin edges on the x axis with its title, and the hovered bar's range and count. Few bars, so a
// plain widget serves; it keeps Qt Charts out of the library.
namespace sigscope::ui {

class HistogramChart : public QWidget
{
    Q_OBJECT
public:
    explicit HistogramChart(QWidget* parent = nullptr);

    // `unit` follows each edge value ("%", " bars"), `decimals` its precision; `what` names a count ("trades").
    void setHistogram(const QString& title, const QString& axisTitle, core::Histogram histogram, int decimals,
                      const QString& unit);
    [[nodiscard]] const core::Histogram& histogram() const { return m_histogram; }

    [[nodiscard]] QRectF plotRect() const;      // where the bars go
    [[nodiscard]] int binAt(QPointF pos) const; // -1 outside the bars
    // "7 trades in [-1.20 %, 0.40 %)" for a bin (the last one closed: "]").
    [[nodiscard]] QString binText(int bin) const;
    void setHoveredBin(int bin); // as the mouse does; -1 for none
    [[nodiscard]] int hoveredBin() const { return m_hover; }

    [[nodiscard]] QSize sizeHint() const override { return {420, 260}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    [[nodiscard]] QString edgeText(double value) const;

    QString m_title;
    QString m_axisTitle;
    QString m_unit;
    int m_decimals = 2;
    core::Histogram m_histogram;
    int m_hover = -1;
};

} // namespace sigscope::ui
