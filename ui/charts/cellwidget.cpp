#include "ui/charts/cellwidget.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace sigscope::ui {

CellWidget::CellWidget(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void CellWidget::setDark(bool dark)
{
    m_dark = dark;
    update();
}

QRect CellWidget::plotRect() const
{
    RenderOptions options;
    options.dark = m_dark;
    return plotIn(QRectF(rect()), options);
}

void CellWidget::clearHover()
{
    m_hover = -1;
    update();
}

void CellWidget::paintEvent(QPaintEvent* /*event*/)
{
    QPainter painter(this);
    RenderOptions options;
    options.dark = m_dark;
    renderScene(&painter, QRectF(rect()), options, m_hover);
}

void CellWidget::mouseMoveEvent(QMouseEvent* event)
{
    const int cell = cellAtPoint(event->position().toPoint(), plotRect());
    if (cell == m_hover)
        return;
    m_hover = cell;
    const QString text = textOf(cell);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
    Q_EMIT cellHovered(text);
    update();
}

void CellWidget::leaveEvent(QEvent* event)
{
    QWidget::leaveEvent(event);
    if (m_hover >= 0) {
        m_hover = -1;
        Q_EMIT cellHovered(QString());
        update();
    }
}

} // namespace sigscope::ui
