#include "ui/mainwindow/chartpanel.h"

#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace sigscope::ui {

ChartPanel::ChartPanel(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_axis(new QComboBox(this))
    , m_overlay(new QCheckBox(tr("Overlay"), this))
    , m_priceOffset(new QSpinBox(this))
    , m_priceStatus(new QLabel(this))
    , m_overviewButton(new QToolButton(this))
    , m_stack(new QStackedWidget(this))
    , m_message(new QLabel(this))
    , m_chart(new TraceChart(this))
    , m_overview(new OverviewRaster(this))
{
    m_title->setObjectName(QStringLiteral("chartTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_axis->addItem(tr("Bar index"), int(AxisMode::Bars));
    m_axis->addItem(tr("Time"), int(AxisMode::Time));
    m_axis->setToolTip(tr("X axis: bar index (no session gaps) or time"));
    m_overlay->setToolTip(tr("Draw every signal in one lane"));
    m_priceOffset->setRange(-1000, 1000);
    m_priceOffset->setPrefix(tr("price offset "));
    m_priceOffset->setToolTip(tr("Bars between a change's index and the price bar it joins "
                                 "(upstream traces use idx = bar_index + 1: offset 1)"));
    m_priceStatus->setObjectName(QStringLiteral("priceStatus"));
    m_overviewButton->setText(tr("Overview"));
    m_overviewButton->setToolTip(tr("Raster of every trace the filter lets through"));

    connect(m_axis, &QComboBox::currentIndexChanged, this, [this]() {
        const auto mode = static_cast<AxisMode>(m_axis->currentData().toInt());
        m_chart->setAxisMode(mode);
        Q_EMIT axisModeChanged(mode);
    });
    connect(m_overlay, &QCheckBox::toggled, this, [this](bool on) {
        m_chart->setOverlay(on);
        Q_EMIT overlayChanged(on);
    });
    connect(m_priceOffset, &QSpinBox::valueChanged, this, [this](int offset) {
        m_chart->setPriceIndexOffset(offset);
        Q_EMIT priceIndexOffsetChanged(offset);
    });
    connect(m_overviewButton, &QToolButton::clicked, this, &ChartPanel::overviewRequested);

    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("chartMessage"));
    m_stack->addWidget(m_message);
    m_stack->addWidget(m_chart);
    m_stack->addWidget(m_overview);

    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(0, 0, 0, 0);
    tools->addWidget(m_title, 1);
    tools->addWidget(m_priceStatus);
    tools->addWidget(m_priceOffset);
    tools->addWidget(m_axis);
    tools->addWidget(m_overlay);
    tools->addWidget(m_overviewButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(tools);
    layout->addWidget(m_stack, 1);
    showMessage(tr("Open a storage folder (Ctrl+O) and select traces to chart them."));
}

void ChartPanel::showLanes(const QString& title)
{
    m_title->setText(title);
    m_stack->setCurrentWidget(m_chart);
}

void ChartPanel::showOverview(const QString& title)
{
    m_title->setText(title);
    m_stack->setCurrentWidget(m_overview);
}

void ChartPanel::showMessage(const QString& message)
{
    m_title->clear();
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
}

bool ChartPanel::isOverviewShown() const
{
    return m_stack->currentWidget() == m_overview;
}

bool ChartPanel::isLanesShown() const
{
    return m_stack->currentWidget() == m_chart;
}

QString ChartPanel::title() const
{
    return m_title->text();
}

AxisMode ChartPanel::axisMode() const
{
    return static_cast<AxisMode>(m_axis->currentData().toInt());
}

void ChartPanel::setAxisMode(AxisMode mode)
{
    m_axis->setCurrentIndex(m_axis->findData(int(mode)));
    m_chart->setAxisMode(mode);
}

bool ChartPanel::overlay() const
{
    return m_overlay->isChecked();
}

void ChartPanel::setOverlay(bool overlay)
{
    m_overlay->setChecked(overlay);
    m_chart->setOverlay(overlay);
}

int ChartPanel::priceIndexOffset() const
{
    return m_priceOffset->value();
}

void ChartPanel::setPriceIndexOffset(int offset)
{
    m_priceOffset->setValue(offset);
    m_chart->setPriceIndexOffset(offset);
}

void ChartPanel::setPriceStatus(const QString& text)
{
    m_priceStatus->setText(text);
}

} // namespace sigscope::ui
