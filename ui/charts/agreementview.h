#pragma once

#include "core/analysis/agreementmatrix.h"
#include "ui/charts/cellwidget.h"
#include "ui/charts/renderable.h"

#include <QPoint>
#include <QRect>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <utility>

// The agreement matrix of a selection of signals (issue 14, "Near-identical"), drawn as a
// clustered heat matrix with our own painter: row and column i are trace matrix.order[i], so
// variants that agree sit together; each cell is the share of bars in the same position, on the
// heatmaps' colour scale from 0 % to 100 % (ui/charts/heatscale.h), with the labels at the left
// and above, and the colour bar at the right.
namespace sigscope::ui {

class AgreementMatrixScene : public Renderable
{
public:
    // labels[i] names trace i of the matrix (input order).
    void setMatrix(std::shared_ptr<const core::stats::AgreementMatrix> matrix, QStringList labels);
    [[nodiscard]] const core::stats::AgreementMatrix* matrix() const { return m_matrix.get(); }
    [[nodiscard]] const QStringList& labels() const { return m_labels; }
    void setHover(int cell) { m_hover = cell; }

    struct Layout
    {
        QRectF title;
        QRect plot; // the cells, whole device pixels
        QRectF rowLabels;
        QRectF columnLabels;
        QRect colourBar;
        QRectF barLabels;
    };
    [[nodiscard]] Layout layout(const QPaintDevice* device, const QRectF& target, const RenderOptions& options) const;
    [[nodiscard]] int size() const { return m_matrix ? int(m_matrix->size) : 0; }
    // Cells are numbered row * size() + column in the order shown; -1 outside the plot.
    [[nodiscard]] int cellAt(const QPoint& point, const QRect& plot) const;
    [[nodiscard]] QRect cellRect(int cell, const QRect& plot) const;
    // The traces (input indexes) of a cell's row and column.
    [[nodiscard]] std::pair<std::size_t, std::size_t> tracesOf(int cell) const;
    [[nodiscard]] static QColor shareColour(double share);
    // "rsi_14 vs rsi_21: 65.0% of bars agree"; empty for no cell.
    [[nodiscard]] QString cellText(int cell) const;

    void render(QPainter* painter, const QRectF& target, const RenderOptions& options) const override;

private:
    void paintLabels(QPainter* painter, const Layout& l, const QFont& font) const;

    std::shared_ptr<const core::stats::AgreementMatrix> m_matrix;
    QStringList m_labels;
    int m_hover = -1;
};

// The scene on screen: hover shows the cell's text as a tooltip (and cellHovered); a click on a
// cell emits cellChosen with the traces of its row and column.
class AgreementMatrixWidget : public SceneCellWidget<AgreementMatrixScene>
{
    Q_OBJECT
public:
    explicit AgreementMatrixWidget(QWidget* parent = nullptr);

    void setMatrix(std::shared_ptr<const core::stats::AgreementMatrix> matrix, const QStringList& labels);
    [[nodiscard]] QSize sizeHint() const override { return {720, 620}; }

Q_SIGNALS:
    void cellChosen(int row, int column); // input indexes of the two traces

protected:
    void mouseReleaseEvent(QMouseEvent* event) override;
};

} // namespace sigscope::ui
