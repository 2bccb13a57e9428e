#include "ui/mainwindow/chartpanel.h"

#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
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
        m_axisChoice = mode;
        m_chart->setAxisMode(mode);
        m_overview->setAxisMode(mode);
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
    connectLinkedViews();
    connect(m_chart, &TraceChart::historyChanged, this, &ChartPanel::historyChanged);
    connect(m_overview, &OverviewRaster::historyChanged, this, &ChartPanel::historyChanged);

    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("chartMessage"));
    m_stack->addWidget(m_message);
    // Lanes keep their least height (TraceChart::minimumSizeHint): many of them scroll.
    m_chartScroll = new QScrollArea(this);
    m_chartScroll->setObjectName(QStringLiteral("chartScroll"));
    m_chartScroll->setWidgetResizable(true);
    m_chartScroll->setFrameShape(QFrame::NoFrame);
    m_chartScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_chartScroll->setWidget(m_chart);
    m_stack->addWidget(m_chartScroll);
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
    m_stack->setCurrentWidget(m_chartScroll);
    updateAxisChoice(m_chart->scene().barsDegenerate());
    Q_EMIT historyChanged(); // the zoom actions now act on the lanes
}

void ChartPanel::showOverview(const QString& title)
{
    m_title->setText(title);
    m_stack->setCurrentWidget(m_overview);
    updateAxisChoice(m_overview->scene().barsDegenerate());
    Q_EMIT historyChanged();
    Q_EMIT overviewShown();
}

void ChartPanel::updateAxisChoice(bool degenerate)
{
    const QSignalBlocker block(m_axis);
    m_axis->setCurrentIndex(m_axis->findData(int(degenerate ? AxisMode::Time : m_axisChoice)));
    m_axis->setEnabled(!degenerate);
    m_axis->setToolTip(degenerate ? tr("Time: all changes were recorded on one bar (an upstream bug), so they are "
                                       "charted on their recorded times")
                                  : tr("X axis: bar index (no session gaps) or time"));
}

void ChartPanel::showMessage(const QString& message)
{
    m_title->clear();
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
    updateAxisChoice(false);
}

bool ChartPanel::isOverviewShown() const
{
    return m_stack->currentWidget() == m_overview;
}

bool ChartPanel::isLanesShown() const
{
    return m_stack->currentWidget() == m_chartScroll;
}

QString ChartPanel::title() const
{
    return m_title->text();
}

AxisMode ChartPanel::axisMode() const
{
    return m_axisChoice;
}

void ChartPanel::setAxisMode(AxisMode mode)
{
    m_axisChoice = mode;
    if (m_axis->isEnabled())
        m_axis->setCurrentIndex(m_axis->findData(int(mode)));
    m_chart->setAxisMode(mode);
    m_overview->setAxisMode(mode);
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

void ChartPanel::connectLinkedViews()
{
    // Each view follows the other while linked; m_syncing stops the follower's echo.
    const auto follow = [this](auto* to) {
        return [this, to](double first, double last) {
            if (!m_linked || m_syncing)
                return;
            m_syncing = true;
            to->followView({first, last});
            m_syncing = false;
        };
    };
    connect(m_chart, &TraceChart::viewChanged, this, follow(m_overview));
    connect(m_overview, &OverviewRaster::viewChanged, this, follow(m_chart));
    connect(m_chart, &TraceChart::cursorMoved, this, [this](qint64 bar) {
        if (m_linked)
            m_overview->showCursorAt(bar);
    });
    connect(m_overview, &OverviewRaster::cursorMoved, this, [this](qint64 bar) {
        if (m_linked)
            m_chart->showCursorAt(bar);
    });
}

void ChartPanel::setLinked(bool linked)
{
    if (m_linked == linked)
        return;
    m_linked = linked;
    if (linked) // the overview takes the lanes' range and cursor
        m_overview->followView(m_chart->visibleRange());
    m_overview->showCursorAt(linked ? m_chart->cursorBar() : std::nullopt);
    Q_EMIT linkedChanged(linked);
}

QAction* ChartPanel::addLinkAction(QMenu* menu)
{
    const QString key = QStringLiteral("view/linkViews");
    QAction* link = menu->addAction(tr("&Link Overview and Lanes"));
    link->setObjectName(QStringLiteral("actionLinkViews"));
    link->setCheckable(true);
    link->setToolTip(tr("The overview and the lanes show the same bars and cursor"));
    setLinked(QSettings().value(key, true).toBool());
    link->setChecked(m_linked);
    connect(link, &QAction::toggled, this, &ChartPanel::setLinked);
    connect(this, &ChartPanel::linkedChanged, link, [link, key](bool on) {
        link->setChecked(on);
        QSettings().setValue(key, on); // saved when it changes, not only on exit
    });
    return link;
}

void ChartPanel::resetZoom()
{
    isOverviewShown() ? m_overview->resetZoom() : m_chart->resetZoom();
}

void ChartPanel::goBack()
{
    isOverviewShown() ? m_overview->goBack() : m_chart->goBack();
}

void ChartPanel::goForward()
{
    isOverviewShown() ? m_overview->goForward() : m_chart->goForward();
}

bool ChartPanel::canGoBack() const
{
    return isOverviewShown() ? m_overview->canGoBack() : m_chart->canGoBack();
}

bool ChartPanel::canGoForward() const
{
    return isOverviewShown() ? m_overview->canGoForward() : m_chart->canGoForward();
}

} // namespace sigscope::ui
