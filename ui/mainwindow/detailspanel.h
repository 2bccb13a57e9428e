#pragma once

#include "core/analysis/compare.h"
#include "core/analysis/stats.h"
#include "core/storage/storage.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QLabel;
class QSplitter;
class QTableView;
class QTextBrowser;

namespace sigscope::ui {

class MetricsModel;
struct MetricsTable;

// Facts about the current trace: identity, parameters, metadata, file, hash, integrity and,
// once loaded, duration-weighted statistics (time in state as % of bars). Below them, the
// performance metrics of the charted signals (MetricsModel), over the chart's selected bars.
class DetailsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DetailsPanel(QWidget* parent = nullptr);

    void showEntry(const core::IndexEntry& entry, const QString& absolutePath, const QString& integrityText);
    void showStats(const core::stats::TraceStats& stats, const std::vector<std::string>& regimes);
    // How the trace agrees with the other charted signals (none: the section is left out).
    void showAgreements(const std::vector<std::pair<QString, core::stats::Agreement>>& rows);
    void showGroup(const QString& title, int traces, qint64 changes, const QString& integrityText);
    void clear(); // the trace's facts; the metrics follow the chart, not the current trace

    // The metrics of the charted signals (none: the section is hidden); "computing" while a
    // newer table is on its way.
    void showMetrics(std::shared_ptr<const MetricsTable> table);
    void showMetricsComputing(bool overview, const std::optional<std::pair<std::int64_t, std::int64_t>>& range);
    [[nodiscard]] MetricsModel* metricsModel() const { return m_metricsModel; }
    [[nodiscard]] QTableView* metricsView() const { return m_metricsView; }
    // "Metrics of the charted signals: bars 120–479 (360 bars)"; empty while the section is hidden.
    [[nodiscard]] QString metricsTitle() const;

    [[nodiscard]] QString text() const; // plain text, for tests
    [[nodiscard]] QTextBrowser* browser() const { return m_browser; }

private:
    void render();

    QTextBrowser* m_browser = nullptr;
    QSplitter* m_splitter = nullptr;
    QWidget* m_metricsBox = nullptr;
    QLabel* m_metricsTitle = nullptr;
    QTableView* m_metricsView = nullptr;
    MetricsModel* m_metricsModel = nullptr;
    QString m_head;  // identity and file part (HTML)
    QString m_stats; // statistics part (HTML), empty until computed
    QString m_agreements; // agreement with the other charted signals (HTML), may be empty
};

// "73.4 %" of a part in a whole, "-" for an empty whole.
QString percentText(std::int64_t part, std::int64_t whole);

} // namespace sigscope::ui
