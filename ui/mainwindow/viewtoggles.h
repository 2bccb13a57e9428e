#pragma once

#include <QString>

#include <functional>

class QAction;
class QMenu;

namespace sigscope::ui {

// A checkable View menu entry remembered in the settings (saved as soon as it is toggled, like
// the theme): `apply(on)` runs now with the remembered state (or `byDefault`) and at every toggle.
QAction* addRememberedToggle(QMenu* menu, const QString& text, const QString& settingsKey, bool byDefault,
                             const std::function<void(bool on)>& apply);

namespace ViewKey {
inline const QString groupVariants = QStringLiteral("view/groupIdenticalVariants");
inline const QString consensusLane = QStringLiteral("view/consensusLane");
inline const QString equityLane = QStringLiteral("view/equityLane");
} // namespace ViewKey

} // namespace sigscope::ui
