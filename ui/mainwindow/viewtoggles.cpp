#include "ui/mainwindow/viewtoggles.h"

#include <QAction>
#include <QMenu>
#include <QSettings>

namespace sigscope::ui {

QAction* addRememberedToggle(QMenu* menu, const QString& text, const QString& settingsKey, bool byDefault,
                             const std::function<void(bool on)>& apply)
{
    QAction* action = menu->addAction(text);
    action->setCheckable(true);
    action->setChecked(QSettings().value(settingsKey, byDefault).toBool());
    apply(action->isChecked());
    QObject::connect(action, &QAction::toggled, menu, [settingsKey, apply](bool on) {
        QSettings().setValue(settingsKey, on);
        apply(on);
    });
    return action;
}

} // namespace sigscope::ui
