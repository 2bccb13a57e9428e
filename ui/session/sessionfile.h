#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// A saved explorer session: a small JSON file (File > Save Session… / Open Session…, and the last
// session in the app's config folder, restored on start). Never written inside a storage.
//   {"sigscope_session": 1, "storage": "/abs/dir", "filter": "rsi", "selection": ["/abs/file"],
//    "chart_mode": "lanes"|"overlay"|"overview", "axis": "bars"|"time", "zoom": [from, to],
//    "selected_bars": [from, to] (the Ctrl+drag range of the metrics, bars [from, to); optional),
//    "panels": {"main": "<base64 splitter state>", ...}}
namespace sigscope::ui {

struct SessionState
{
    QString storage;
    QString filter;
    QStringList selection; // trace file paths
    QString chartMode = QStringLiteral("lanes");
    QString axis = QStringLiteral("bars");
    std::optional<std::pair<double, double>> zoom; // visible bar range of the lanes chart
    std::optional<std::pair<qint64, qint64>> selectedBars; // the chart's Ctrl+drag range, [from, to)
    QMap<QString, QByteArray> panels;              // splitter states by name
    bool linkedViews = true;                       // View > Link Overview and Lanes
    bool operator==(const SessionState&) const = default;
};

inline constexpr int kSessionVersion = 1;

[[nodiscard]] QByteArray sessionToJson(const SessionState& state);
// Nothing and *error set (the reason, without the file name) when the text is not a session.
[[nodiscard]] std::optional<SessionState> sessionFromJson(const QByteArray& json, QString* error);

// Atomic (QSaveFile). Errors name the file and the reason.
bool writeSessionFile(const QString& path, const SessionState& state, QString* error);
[[nodiscard]] std::optional<SessionState> readSessionFile(const QString& path, QString* error);

} // namespace sigscope::ui
