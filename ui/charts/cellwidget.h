#pragma once

#include "ui/charts/renderable.h"

#include <QRect>
#include <QWidget>

namespace sigscope::ui {

// What the heat pictures on screen share (the sweep heatmap, the agreement matrix): a scene of
// cells drawn in the light or dark palette, the cell under the pointer outlined, named in a
// tooltip and by cellHovered. Subclasses say where the cells are and what they read.
class CellWidget : public QWidget
{
    Q_OBJECT
public:
    explicit CellWidget(QWidget* parent = nullptr);

    void setDark(bool dark);
    [[nodiscard]] bool dark() const { return m_dark; }
    [[nodiscard]] QRect plotRect() const; // where the cells are drawn now

Q_SIGNALS:
    void cellHovered(const QString& text); // empty when the pointer leaves the cells

protected:
    [[nodiscard]] virtual QRect plotIn(const QRectF& target, const RenderOptions& options) const = 0;
    [[nodiscard]] virtual int cellAtPoint(const QPoint& point, const QRect& plot) const = 0;
    [[nodiscard]] virtual QString textOf(int cell) const = 0;
    virtual void renderScene(QPainter* painter, const QRectF& target, const RenderOptions& options, int hover) = 0;

    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void clearHover(); // a new scene: nothing under the pointer yet

private:
    bool m_dark = false;
    int m_hover = -1;
};

// A CellWidget over a scene that lays itself out (layout(device, target, options).plot), finds
// and names its cells (cellAt, cellText) and draws with the hover outlined (setHover, render).
template<typename Scene>
class SceneCellWidget : public CellWidget
{
public:
    using CellWidget::CellWidget;

    [[nodiscard]] const Scene& scene() const { return m_scene; }

protected:
    [[nodiscard]] QRect plotIn(const QRectF& target, const RenderOptions& options) const override
    {
        return m_scene.layout(this, target, options).plot;
    }
    [[nodiscard]] int cellAtPoint(const QPoint& point, const QRect& plot) const override
    {
        return m_scene.cellAt(point, plot);
    }
    [[nodiscard]] QString textOf(int cell) const override { return m_scene.cellText(cell); }
    void renderScene(QPainter* painter, const QRectF& target, const RenderOptions& options, int hover) override
    {
        m_scene.setHover(hover);
        m_scene.render(painter, target, options);
    }

    Scene m_scene;
};

} // namespace sigscope::ui
