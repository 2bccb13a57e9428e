#include "ui/session/sessionfile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace sigscope::ui {

namespace {

const QString kVersionKey = QStringLiteral("sigscope_session");

bool isOneOf(const QString& value, std::initializer_list<const char*> allowed)
{
    for (const char* a : allowed) {
        if (value == QLatin1String(a))
            return true;
    }
    return false;
}

} // namespace

QByteArray sessionToJson(const SessionState& state)
{
    QJsonObject root;
    root.insert(kVersionKey, kSessionVersion);
    root.insert(QStringLiteral("storage"), state.storage);
    root.insert(QStringLiteral("filter"), state.filter);
    root.insert(QStringLiteral("selection"), QJsonArray::fromStringList(state.selection));
    root.insert(QStringLiteral("chart_mode"), state.chartMode);
    root.insert(QStringLiteral("axis"), state.axis);
    if (state.zoom)
        root.insert(QStringLiteral("zoom"), QJsonArray{state.zoom->first, state.zoom->second});
    if (state.selectedBars)
        root.insert(QStringLiteral("selected_bars"), QJsonArray{state.selectedBars->first, state.selectedBars->second});
    root.insert(QStringLiteral("linked_views"), state.linkedViews);
    QJsonObject panels;
    for (auto it = state.panels.cbegin(); it != state.panels.cend(); ++it)
        panels.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    root.insert(QStringLiteral("panels"), panels);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<SessionState> sessionFromJson(const QByteArray& json, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    if (!doc.isObject() || !root.value(kVersionKey).isDouble()) {
        *error = QStringLiteral("not a sigscope session (no \"sigscope_session\" version)");
        return std::nullopt;
    }
    if (root.value(kVersionKey).toInt() != kSessionVersion) {
        *error = QStringLiteral("session version %1 is not supported (this sigscope reads version %2)")
                     .arg(root.value(kVersionKey).toInt())
                     .arg(kSessionVersion);
        return std::nullopt;
    }
    SessionState state;
    state.storage = root.value(QStringLiteral("storage")).toString();
    if (state.storage.isEmpty()) {
        *error = QStringLiteral("no \"storage\" folder");
        return std::nullopt;
    }
    state.filter = root.value(QStringLiteral("filter")).toString();
    for (const auto& path : root.value(QStringLiteral("selection")).toArray())
        state.selection << path.toString();
    state.chartMode = root.value(QStringLiteral("chart_mode")).toString(QStringLiteral("lanes"));
    state.axis = root.value(QStringLiteral("axis")).toString(QStringLiteral("bars"));
    if (!isOneOf(state.chartMode, {"lanes", "overlay", "overview"}) || !isOneOf(state.axis, {"bars", "time"})) {
        *error = QStringLiteral("unknown chart_mode \"%1\" or axis \"%2\"").arg(state.chartMode, state.axis);
        return std::nullopt;
    }
    const QJsonArray zoom = root.value(QStringLiteral("zoom")).toArray();
    if (zoom.size() == 2 && zoom[0].isDouble() && zoom[1].isDouble() && zoom[0].toDouble() < zoom[1].toDouble())
        state.zoom = std::make_pair(zoom[0].toDouble(), zoom[1].toDouble());
    const QJsonArray bars = root.value(QStringLiteral("selected_bars")).toArray();
    if (bars.size() == 2 && bars[0].isDouble() && bars[1].isDouble() && bars[0].toInteger(-1) >= 0
        && bars[0].toInteger() < bars[1].toInteger())
        state.selectedBars = std::make_pair(bars[0].toInteger(), bars[1].toInteger());
    state.linkedViews = root.value(QStringLiteral("linked_views")).toBool(true);
    const QJsonObject panels = root.value(QStringLiteral("panels")).toObject();
    for (auto it = panels.constBegin(); it != panels.constEnd(); ++it)
        state.panels.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
    return state;
}

bool writeSessionFile(const QString& path, const SessionState& state, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(sessionToJson(state)) < 0 || !file.commit()) {
        *error = QStringLiteral("Cannot write the session %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

std::optional<SessionState> readSessionFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("Cannot read the session %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return std::nullopt;
    }
    QString reason;
    auto state = sessionFromJson(file.readAll(), &reason);
    if (!state)
        *error = QStringLiteral("%1 is not a usable session: %2").arg(QDir::toNativeSeparators(path), reason);
    return state;
}

} // namespace sigscope::ui
