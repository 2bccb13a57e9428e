#include "ui/charts/overview.h"

#include "core/analysis/steps.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/chartscene.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

constexpr int kMinRowHeight = 2;
constexpr int kMaxRowHeight = 18;
constexpr int kGapFromRowHeight = 6; // rows this tall keep a one-pixel gap below them

const QColor kFlat(0xdf, 0xe3, 0xe6);
const QColor kLongColor(0x2e, 0x7d, 0x32);
const QColor kShortColor(0xc6, 0x28, 0x28);
const QColor kEmpty(0xf7, 0xf8, 0xf9);
const QColor kMarker(0x1c, 0x23, 0x28);

QRgb mix(QRgb a, QRgb b, double t) // t of a over b
{
    const auto c = [t](int x, int y) { return static_cast<int>(std::lround(x * t + y * (1 - t))); };
    return qRgb(c(qRed(a), qRed(b)), c(qGreen(a), qGreen(b)), c(qBlue(a), qBlue(b)));
}

// The colour of a signal cell without QColor round trips: this runs once per pixel.
QRgb cellRgb(const RasterCell& cell)
{
    if (!cell.defined)
        return kEmpty.rgb();
    const double m = std::clamp(cell.mean, -1.0, 1.0);
    if (m > 0)
        return mix(kLongColor.rgb(), kFlat.rgb(), m);
    if (m < 0)
        return mix(kShortColor.rgb(), kFlat.rgb(), -m);
    return kFlat.rgb();
}

// Cells for a classifier: the regime holding longest in each column.
struct ClassifierCell
{
    std::int32_t dominant = -1;
};

// One sweep over the changes: O(changes + columns) per row, no per-pixel searches.
template<typename Visit>
void sweep(const core::Trace& trace, double totalBars, int columns, Visit&& visit)
{
    const bool classifier = trace.kind() == core::Kind::Classifier;
    const double end = std::min(totalBars, static_cast<double>(trace.effectiveTotalBars()));
    const std::size_t n = trace.size();
    std::size_t i = 0;
    std::int32_t v = 0;
    bool known = !classifier;
    for (int c = 0; c < columns; ++c) {
        const double a = c * totalBars / columns;
        const double b = (c + 1) * totalBars / columns;
        const double hi = std::min(b, end);
        for (; i < n && static_cast<double>(trace.bar(i)) < a; ++i) {
            v = trace.value(i);
            known = true;
        }
        double x = a;
        quint32 changes = 0;
        visit.beginColumn();
        for (; i < n && static_cast<double>(trace.bar(i)) < b; ++i) {
            const double bx = std::min(static_cast<double>(trace.bar(i)), hi);
            if (known && bx > x)
                visit.hold(v, bx - x);
            x = std::max(x, bx);
            v = trace.value(i);
            known = true;
            ++changes;
        }
        if (known && hi > x)
            visit.hold(v, hi - x);
        visit.endColumn(c, changes);
    }
}

struct MeanVisitor
{
    std::vector<RasterCell>& out;
    double sum = 0;
    double weight = 0;
    void beginColumn() { sum = weight = 0; }
    void hold(std::int32_t v, double duration)
    {
        sum += v * duration;
        weight += duration;
    }
    void endColumn(int c, quint32 changes)
    {
        auto& cell = out[static_cast<std::size_t>(c)];
        cell.changes = changes;
        cell.defined = weight > 0;
        cell.mean = weight > 0 ? sum / weight : 0;
    }
};

struct DominantVisitor
{
    std::vector<RasterCell>& out;
    std::vector<ClassifierCell>& dominant;
    std::vector<double> weights;
    void beginColumn() { std::fill(weights.begin(), weights.end(), 0.0); }
    void hold(std::int32_t v, double duration)
    {
        const auto k = static_cast<std::size_t>(v);
        if (k >= weights.size())
            weights.resize(k + 1);
        weights[k] += duration;
    }
    void endColumn(int c, quint32 changes)
    {
        auto& cell = out[static_cast<std::size_t>(c)];
        cell.changes = changes;
        const auto best = std::max_element(weights.begin(), weights.end());
        cell.defined = best != weights.end() && *best > 0;
        dominant[static_cast<std::size_t>(c)].dominant =
            cell.defined ? static_cast<std::int32_t>(best - weights.begin()) : -1;
    }
};

void paintRow(QRgb* const* lines, int height, const core::Trace& trace, double totalBars, int columns,
              std::vector<RasterCell>& cells, std::vector<ClassifierCell>& dominant, std::vector<QRgb>& pixels)
{
    cells.assign(static_cast<std::size_t>(columns), RasterCell{});
    if (trace.kind() == core::Kind::Classifier) {
        dominant.assign(static_cast<std::size_t>(columns), ClassifierCell{});
        DominantVisitor visitor{cells, dominant, std::vector<double>(trace.regimes().size())};
        sweep(trace, totalBars, columns, visitor);
        std::vector<QRgb> regimeColors;
        for (const auto& name : trace.regimes())
            regimeColors.push_back(ChartScene::regimeColor(QString::fromStdString(name)).rgb());
        for (int c = 0; c < columns; ++c) {
            const auto k = static_cast<std::size_t>(c);
            pixels[k] = !cells[k].defined ? kEmpty.rgb() : regimeColors[static_cast<std::size_t>(dominant[k].dominant)];
        }
    } else {
        MeanVisitor visitor{cells};
        sweep(trace, totalBars, columns, visitor);
        for (int c = 0; c < columns; ++c)
            pixels[static_cast<std::size_t>(c)] = cellRgb(cells[static_cast<std::size_t>(c)]);
    }
    const int markerRows = height >= 3 ? 1 : height; // marker on the row's top pixel line
    const QRgb marker = kMarker.rgb();
    for (int y = 0; y < height; ++y) {
        QRgb* line = lines[y];
        for (int c = 0; c < columns; ++c) {
            const auto k = static_cast<std::size_t>(c);
            line[c] = (y < markerRows && cells[k].changes > 1) ? marker : pixels[k];
        }
    }
}

} // namespace

std::vector<RasterCell> rasterRow(const core::Trace& trace, double totalBars, int columns)
{
    std::vector<RasterCell> cells(static_cast<std::size_t>(std::max(columns, 0)));
    if (columns <= 0 || !(totalBars > 0))
        return cells;
    MeanVisitor visitor{cells};
    sweep(trace, totalBars, columns, visitor);
    return cells;
}

QColor rasterColor(const RasterCell& cell)
{
    return QColor::fromRgb(cellRgb(cell));
}

QColor rasterMarkerColor()
{
    return kMarker;
}

void paintRaster(QImage& image, const std::vector<std::shared_ptr<const core::Trace>>& traces, double totalBars,
                 int firstRow, int rowHeight)
{
    image.fill(Qt::white);
    const int columns = image.width();
    if (columns <= 0 || rowHeight <= 0 || !(totalBars > 0))
        return;
    const int drawn = rowHeight >= kGapFromRowHeight ? rowHeight - 1 : rowHeight;
    std::vector<RasterCell> cells;
    std::vector<ClassifierCell> dominant;
    std::vector<QRgb> pixels(static_cast<std::size_t>(columns));
    std::vector<QRgb*> lines(static_cast<std::size_t>(drawn));
    for (int row = firstRow; row >= 0 && row < static_cast<int>(traces.size()); ++row) {
        const int top = (row - firstRow) * rowHeight;
        if (top >= image.height())
            break;
        const int height = std::min(drawn, image.height() - top);
        for (int y = 0; y < height; ++y)
            lines[static_cast<std::size_t>(y)] = reinterpret_cast<QRgb*>(image.scanLine(top + y));
        if (traces[static_cast<std::size_t>(row)])
            paintRow(lines.data(), height, *traces[static_cast<std::size_t>(row)], totalBars, columns, cells, dominant,
                     pixels);
    }
}

// ----- widget --------------------------------------------------------------------------------

OverviewRaster::OverviewRaster(QWidget* parent)
    : QWidget(parent)
    , m_scroll(new QScrollBar(Qt::Vertical, this))
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_scroll->hide();
    connect(m_scroll, &QScrollBar::valueChanged, this, [this] {
        m_dirty = true;
        update();
    });
}

OverviewRaster::~OverviewRaster() = default;

void OverviewRaster::setTraces(std::vector<std::shared_ptr<const core::Trace>> traces, QStringList labels)
{
    m_traces = std::move(traces);
    m_labels = std::move(labels);
    m_totalBars = 0;
    for (const auto& t : m_traces) {
        if (t)
            m_totalBars = std::max(m_totalBars, static_cast<double>(t->effectiveTotalBars()));
    }
    m_hoverRow = -1;
    m_scroll->setValue(0);
    updateScrollBar();
    m_dirty = true;
    update();
}

QSize OverviewRaster::sizeHint() const
{
    return {900, 520};
}

QRect OverviewRaster::rasterRect() const
{
    const QFontMetrics fm(font());
    const int labelWidth = std::min(220, std::max(80, width() / 5));
    const int scrollWidth = !m_scroll->isHidden() ? m_scroll->sizeHint().width() : 0;
    const int top = 6;
    const int bottom = height() - (fm.height() + 10);
    const int left = labelWidth + 8;
    const int right = width() - 8 - scrollWidth;
    return QRect(QPoint(left, top), QPoint(std::max(left, right - 1), std::max(top, bottom - 1)));
}

int OverviewRaster::rowHeight() const
{
    const int rows = std::max(1, rowCount());
    const QFontMetrics fm(font());
    const int available = height() - 16 - fm.height();
    return std::clamp(available / rows, kMinRowHeight, kMaxRowHeight);
}

int OverviewRaster::firstVisibleRow() const
{
    return !m_scroll->isHidden() ? m_scroll->value() : 0;
}

void OverviewRaster::updateScrollBar()
{
    const QFontMetrics fm(font());
    const int available = height() - 16 - fm.height();
    const int visibleRows = std::max(1, available / rowHeight());
    const bool needed = rowCount() > visibleRows;
    m_scroll->setVisible(needed);
    m_scroll->setRange(0, std::max(0, rowCount() - visibleRows));
    m_scroll->setPageStep(visibleRows);
    m_scroll->setSingleStep(std::max(1, visibleRows / 20));
    const int w = m_scroll->sizeHint().width();
    m_scroll->setGeometry(width() - w, 0, w, height());
}

std::optional<int> OverviewRaster::rowAt(QPoint pos) const
{
    const QRect r = rasterRect();
    if (pos.y() < r.top() || pos.y() > r.bottom() || pos.x() > r.right())
        return std::nullopt;
    const int row = firstVisibleRow() + (pos.y() - r.top()) / rowHeight();
    if (row < 0 || row >= rowCount())
        return std::nullopt;
    return row;
}

std::optional<qint64> OverviewRaster::barAt(QPoint pos) const
{
    const QRect r = rasterRect();
    if (pos.x() < r.left() || pos.x() > r.right() || m_totalBars <= 0)
        return std::nullopt;
    // The middle of the pixel column, as the cell colour stands for the whole column.
    return static_cast<qint64>(std::floor((pos.x() - r.left() + 0.5) * m_totalBars / r.width()));
}

QString OverviewRaster::toolTipAt(QPoint pos) const
{
    const auto row = rowAt(pos);
    if (!row)
        return {};
    const auto& trace = m_traces[static_cast<std::size_t>(*row)];
    if (!trace)
        return {};
    QString text = *row < m_labels.size() ? m_labels[*row] : QString::fromStdString(trace->identity.name);
    const auto bar = barAt(pos);
    if (!bar)
        return text;
    text += QStringLiteral("\nbar %1: ").arg(*bar);
    if (*bar >= trace->effectiveTotalBars()) {
        text += QStringLiteral("past the end (%1 bars)").arg(trace->effectiveTotalBars());
    } else if (const auto idx = core::steps::changeIndexAt(*trace, *bar)) {
        const std::int32_t v = trace->value(*idx);
        const QString value = trace->kind() == core::Kind::Classifier
                                  ? QString::fromStdString(std::string(trace->regimeName(*idx)))
                              : v > 0 ? QStringLiteral("long")
                              : v < 0 ? QStringLiteral("short")
                                      : QStringLiteral("flat");
        text += value + QStringLiteral(" since bar %1").arg(trace->bar(*idx));
    } else {
        text += trace->kind() == core::Kind::Signal ? QStringLiteral("flat (before the first change)")
                                                     : QStringLiteral("regime unknown");
    }
    const QRect r = rasterRect();
    const auto cells = rasterRow(*trace, m_totalBars, r.width());
    const auto c = static_cast<std::size_t>(std::clamp(pos.x() - r.left(), 0, r.width() - 1));
    if (cells[c].changes > 1)
        text += QStringLiteral("\n%1 changes in this pixel").arg(cells[c].changes);
    return text;
}

void OverviewRaster::rebuildImage()
{
    const QRect r = rasterRect();
    const int rowH = rowHeight();
    const int rowsShown = std::min(rowCount() - firstVisibleRow(), r.height() / rowH + 1);
    const QSize size(r.width(), std::max(1, std::min(r.height(), rowsShown * rowH)));
    if (m_image.size() != size)
        m_image = QImage(size, QImage::Format_RGB32);
    paintRaster(m_image, m_traces, m_totalBars, firstVisibleRow(), rowH);
    m_dirty = false;
}

void OverviewRaster::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (m_traces.empty()) {
        p.setPen(QColor(0x60, 0x6b, 0x73));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a type to see its traces side by side"));
        return;
    }
    if (m_dirty)
        rebuildImage();
    const QRect r = rasterRect();
    p.drawImage(r.topLeft(), m_image);

    const int rowH = rowHeight();
    const QFontMetrics fm(font());
    // Labels when rows are tall enough to read; otherwise the tooltip names the row.
    if (rowH >= fm.height() - 2) {
        QFont small = font();
        small.setPointSizeF(font().pointSizeF() * 0.9);
        p.setFont(small);
        p.setPen(QColor(0x26, 0x32, 0x38));
        for (int row = firstVisibleRow(); row < rowCount(); ++row) {
            const int top = r.top() + (row - firstVisibleRow()) * rowH;
            if (top > r.bottom())
                break;
            const QString label = row < m_labels.size() ? m_labels[row] : QString::fromStdString(m_traces[static_cast<std::size_t>(row)]->identity.name);
            const QRect lr(4, top, r.left() - 10, rowH);
            p.drawText(lr, Qt::AlignRight | Qt::AlignVCenter, QFontMetrics(small).elidedText(label, Qt::ElideMiddle, lr.width()));
        }
        p.setFont(font());
    } else {
        p.setPen(QColor(0x60, 0x6b, 0x73));
        p.drawText(QRect(4, r.top(), r.left() - 10, fm.height() * 2), Qt::AlignRight | Qt::AlignTop | Qt::TextWordWrap,
                   tr("%n trace(s)", nullptr, rowCount()));
    }
    if (m_hoverRow >= firstVisibleRow()) {
        const int top = r.top() + (m_hoverRow - firstVisibleRow()) * rowH;
        if (top <= r.bottom()) {
            p.setPen(QPen(QColor(0x1f, 0x5f, 0xa8), 1));
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRect(r.left() - 1, top - 1, r.width() + 1, rowH + 1));
        }
    }
    // Bar axis.
    p.setPen(QColor(0xb8, 0xc0, 0xc6));
    p.drawLine(r.left(), r.bottom() + 2, r.right(), r.bottom() + 2);
    const auto ticks = numberTicks(0, m_totalBars, std::max(2, r.width() / 90));
    p.setPen(QColor(0x60, 0x6b, 0x73));
    for (const auto& tick : ticks) {
        const int x = r.left() + static_cast<int>(std::floor(tick.value * r.width() / m_totalBars));
        p.drawLine(x, r.bottom() + 2, x, r.bottom() + 5);
        const int w = fm.horizontalAdvance(tick.label);
        p.drawText(QRect(std::clamp(x - w / 2, r.left() - 10, r.right() - w), r.bottom() + 6, w + 2, fm.height()), Qt::AlignLeft,
                   tick.label);
    }
}

void OverviewRaster::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateScrollBar();
    m_dirty = true;
}

bool OverviewRaster::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void OverviewRaster::wheelEvent(QWheelEvent* event)
{
    if (m_scroll->isHidden()) {
        event->ignore();
        return;
    }
    const int rows = -event->angleDelta().y() / 40;
    m_scroll->setValue(m_scroll->value() + rows);
    event->accept();
}

void OverviewRaster::mouseMoveEvent(QMouseEvent* event)
{
    const auto row = rowAt(event->position().toPoint());
    const int hover = row.value_or(-1);
    if (hover != m_hoverRow) {
        m_hoverRow = hover;
        update();
        Q_EMIT hoveredRowChanged(hover);
    }
}

void OverviewRaster::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        if (const auto row = rowAt(event->position().toPoint())) {
            Q_EMIT traceActivated(*row);
            event->accept();
            return;
        }
    }
    QWidget::mousePressEvent(event);
}

void OverviewRaster::leaveEvent(QEvent* event)
{
    if (m_hoverRow != -1) {
        m_hoverRow = -1;
        update();
        Q_EMIT hoveredRowChanged(-1);
    }
    QWidget::leaveEvent(event);
}

} // namespace sigscope::ui
