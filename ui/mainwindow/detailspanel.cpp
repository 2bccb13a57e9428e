#include "ui/mainwindow/detailspanel.h"

#include "core/model/parameters.h"
#include "ui/models/metricsmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <cmath>

namespace sigscope::ui {

namespace {

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

QString esc(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString row(const QString& label, const QString& valueHtml)
{
    return QStringLiteral("<tr><td style='color:palette(mid);padding-right:12px;white-space:nowrap'>%1</td><td>%2</td></tr>")
        .arg(esc(label), valueHtml);
}

QString section(const QString& title)
{
    return QStringLiteral("<tr><td colspan='2' style='padding-top:6px'><b>%1</b></td></tr>").arg(esc(title));
}

QString orDash(const std::optional<std::string>& value)
{
    return value ? esc(*value) : QStringLiteral("&ndash;");
}

QString metricsTitleText(bool overview, const std::optional<std::pair<std::int64_t, std::int64_t>>& range)
{
    return (overview ? DetailsPanel::tr("Metrics of the overview's signals: %1")
                     : DetailsPanel::tr("Metrics of the charted signals: %1"))
        .arg(barRangeText(range));
}

} // namespace

QString percentText(std::int64_t part, std::int64_t whole)
{
    if (whole <= 0)
        return QStringLiteral("-");
    return QStringLiteral("%1 %").arg(100.0 * double(part) / double(whole), 0, 'f', 1);
}

DetailsPanel::DetailsPanel(QWidget* parent)
    : QWidget(parent)
    , m_browser(new QTextBrowser(this))
{
    m_browser->setObjectName(QStringLiteral("detailsBrowser"));
    m_browser->setOpenLinks(false);
    // Names and times break only at spaces; a longer line scrolls instead of breaking mid-word.
    m_browser->setWordWrapMode(QTextOption::WordWrap);

    m_metricsModel = new MetricsModel(this);
    m_metricsBox = new QWidget(this);
    m_metricsBox->setObjectName(QStringLiteral("metricsBox"));
    m_metricsTitle = new QLabel(m_metricsBox);
    m_metricsTitle->setObjectName(QStringLiteral("metricsTitle"));
    m_metricsTitle->setTextFormat(Qt::PlainText);
    m_metricsView = new QTableView(m_metricsBox);
    m_metricsView->setObjectName(QStringLiteral("metricsView"));
    m_metricsView->setModel(m_metricsModel);
    m_metricsView->verticalHeader()->hide();
    m_metricsView->verticalHeader()->setDefaultSectionSize(m_metricsView->fontMetrics().height() + 6);
    m_metricsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_metricsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metricsView->setWordWrap(false);
    m_metricsView->setTextElideMode(Qt::ElideMiddle);
    auto* metricsLayout = new QVBoxLayout(m_metricsBox);
    metricsLayout->setContentsMargins(0, 2, 0, 0);
    metricsLayout->setSpacing(2);
    metricsLayout->addWidget(m_metricsTitle);
    metricsLayout->addWidget(m_metricsView, 1);
    m_metricsBox->hide();

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_browser);
    m_splitter->addWidget(m_metricsBox);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
    clear();
}

void DetailsPanel::showMetrics(std::shared_ptr<const MetricsTable> table)
{
    const bool any = table && !table->rows.empty();
    const auto range = table ? table->range : std::nullopt;
    const bool overview = table && table->overview;
    m_metricsModel->setTable(any ? std::move(table) : nullptr);
    m_metricsView->clearSpans();
    // A row without metrics says why across the metric columns.
    for (int row = 0; row < m_metricsModel->rowCount(); ++row) {
        if (!m_metricsModel->hasMetrics(row))
            m_metricsView->setSpan(row, MetricsColumn::Trades, 1, MetricsColumn::Count - MetricsColumn::Trades);
    }
    m_metricsTitle->setText(metricsTitleText(overview, range));
    m_metricsView->resizeColumnsToContents();
    m_metricsBox->setVisible(any);
}

void DetailsPanel::showMetricsComputing(bool overview, const std::optional<std::pair<std::int64_t, std::int64_t>>& range)
{
    m_metricsTitle->setText(tr("%1, computing\u2026").arg(metricsTitleText(overview, range)));
}

QString DetailsPanel::metricsTitle() const
{
    return m_metricsBox->isHidden() ? QString() : m_metricsTitle->text();
}

void DetailsPanel::clear()
{
    m_head = QStringLiteral("<p style='color:gray'>%1</p>").arg(esc(tr("Select a trace to see its details.")));
    m_stats.clear();
    m_agreements.clear();
    render();
}

void DetailsPanel::showGroup(const QString& title, int traces, qint64 changes, const QString& integrityText)
{
    QString html = QStringLiteral("<table>") + section(title) + row(tr("Traces"), QString::number(traces))
        + row(tr("Changes"), QString::number(changes));
    if (!integrityText.isEmpty())
        html += row(tr("Integrity"), esc(integrityText).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    m_head = html + QStringLiteral("</table>");
    m_stats.clear();
    m_agreements.clear();
    render();
}

void DetailsPanel::showEntry(const core::IndexEntry& entry, const QString& absolutePath, const QString& integrityText)
{
    QString html = QStringLiteral("<table>");
    html += section(tr("Identity"));
    html += row(tr("Name"), QStringLiteral("<b style='white-space:nowrap'>%1</b>").arg(esc(entry.name)));
    html += row(tr("Kind"), esc(QString::fromLatin1(core::kindName(entry.kind))));
    html += row(tr("Type"), esc(entry.type));
    html += row(tr("Symbol"), orDash(entry.symbol));
    html += row(tr("Timeframe"), orDash(entry.timeframe));
    html += row(tr("Run"), entry.run ? esc(*entry.run) : tr("latest"));
    if (entry.variant)
        html += row(tr("Variant"), QString::number(*entry.variant));
    html += section(tr("Parameters"));
    if (entry.parameters.empty())
        html += row(tr("(none)"), QString());
    for (const auto& [key, value] : entry.parameters.entries())
        html += row(QString::fromStdString(key), esc(core::displayText(value)));
    html += section(tr("Index"));
    html += row(tr("Changes"), QString::number(entry.totalItems));
    html += row(tr("Bars"), QString::number(std::max(entry.totalBars, entry.lastIdx ? *entry.lastIdx + 1 : 0)));
    if (entry.firstIdx && entry.lastIdx)
        html += row(tr("Bar range"), QStringLiteral("%1 &ndash; %2").arg(*entry.firstIdx).arg(*entry.lastIdx));
    if (!entry.firstTs.empty())
        html += row(tr("Time range"), QStringLiteral("<span style='white-space:nowrap'>%1 &ndash;</span> "
                                                     "<span style='white-space:nowrap'>%2</span>")
                                          .arg(esc(entry.firstTs), esc(entry.lastTs)));
    html += row(tr("Compression"), QString::number(entry.compressionRatio, 'g', 4));
    html += row(tr("Created"), esc(entry.createdAt));
    html += section(tr("File"));
    html += row(tr("Path"), esc(entry.filePath));
    html += row(tr("Location"), esc(absolutePath));
    html += row(tr("Hash"), QStringLiteral("<tt>%1</tt>").arg(esc(entry.fileHash)));
    if (!integrityText.isEmpty())
        html += row(tr("Integrity"), QStringLiteral("<span style='color:#b02020'>%1</span>")
                                         .arg(esc(integrityText).replace(QLatin1Char('\n'), QStringLiteral("<br>"))));
    m_head = html + QStringLiteral("</table>");
    m_stats = QStringLiteral("<p style='color:gray'>%1</p>").arg(esc(tr("Statistics: loading…")));
    m_agreements.clear();
    render();
}

void DetailsPanel::showStats(const core::stats::TraceStats& stats, const std::vector<std::string>& regimes)
{
    const std::int64_t total = stats.totalBars;
    QString html = QStringLiteral("<table>") + section(tr("Statistics (weighted by bars held)"));
    if (regimes.empty()) {
        html += row(tr("Long"), QStringLiteral("%1 (%2 bars)").arg(percentText(stats.barsLong, total)).arg(stats.barsLong));
        html += row(tr("Short"), QStringLiteral("%1 (%2 bars)").arg(percentText(stats.barsShort, total)).arg(stats.barsShort));
        html += row(tr("Flat"), QStringLiteral("%1 (%2 bars)").arg(percentText(stats.barsFlat, total)).arg(stats.barsFlat));
        html += row(tr("Changes"), QString::number(stats.changes));
        html += row(tr("Flips"), QString::number(stats.flips));
        html += row(tr("Mean holding"), tr("%1 bars").arg(stats.meanHolding, 0, 'f', 1));
        html += row(tr("Median holding"), tr("%1 bars").arg(stats.medianHolding, 0, 'f', 1));
    } else {
        for (std::size_t i = 0; i < regimes.size() && i < stats.barsPerRegime.size(); ++i) {
            html += row(QString::fromStdString(regimes[i]), QStringLiteral("%1 (%2 bars)")
                                                                 .arg(percentText(stats.barsPerRegime[i], total))
                                                                 .arg(stats.barsPerRegime[i]));
        }
        html += row(tr("Changes"), QString::number(stats.changes));
    }
    html += row(tr("Bars covered"), QString::number(total));
    m_stats = html + QStringLiteral("</table>");
    render();
}

void DetailsPanel::showAgreements(const std::vector<std::pair<QString, core::stats::Agreement>>& rows)
{
    m_agreements.clear();
    if (!rows.empty()) {
        QString html = QStringLiteral("<table>") + section(tr("Agreement with the charted signals (bars)"));
        for (const auto& [label, a] : rows) {
            const QString correlation = std::isnan(a.correlation) ? QStringLiteral("-") : QString::number(a.correlation, 'f', 3);
            html += row(label, esc(tr("same %1, opposite %2, correlation %3")
                                       .arg(percentText(a.same, a.bars), percentText(a.opposite, a.bars), correlation)));
        }
        m_agreements = html + QStringLiteral("</table>");
    }
    render();
}

void DetailsPanel::render()
{
    m_browser->setHtml(m_head + m_stats + m_agreements);
}

QString DetailsPanel::text() const
{
    return m_browser->toPlainText();
}

} // namespace sigscope::ui
