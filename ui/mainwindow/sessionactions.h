#pragma once

#include "ui/session/sessionfile.h"

#include <QObject>
#include <QTimer>

class QAction;
class QMenu;

namespace sigscope::ui {

class MainWindow;

// File > Save Session… / Open Session… on the explorer window, and the last session: written to
// the app's config folder (never into the storage) a moment after each change and on quit, and
// restored on start. The path-taking functions are what tests call; the slots only ask for paths.
class SessionActions : public QObject
{
    Q_OBJECT
public:
    // Adds the actions into fileMenu before `before` (nullptr: at the end).
    SessionActions(MainWindow* window, QMenu* fileMenu, QAction* before);

    [[nodiscard]] SessionState capture() const;
    // Opens the storage, then sets filter, selection, chart mode, axis, zoom and panels once each
    // step has settled. False (and the error reported, naming file and reason) when it cannot.
    bool apply(const SessionState& state, const QString& sourceFile);
    bool saveSession(const QString& path, QString* error) const;
    bool openSession(const QString& path);

    static QString lastSessionPath(); // <AppConfigLocation>/last-session.json
    bool restoreLastSession();        // false when there is none or its storage is gone
    void saveLastSession() const;     // not in scripted runs, not without an open storage
    void setEnabled(bool on) { m_enabled = on; }

private:
    void saveLastSessionSoon();

    MainWindow* m_window;
    QTimer m_saveDelay;
    bool m_enabled = true; // off in scripted runs
    bool m_applying = false;
};

} // namespace sigscope::ui
