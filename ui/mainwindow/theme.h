#pragma once

#include <QObject>
#include <QPalette>

#include <functional>
#include <optional>

class QAction;
class QMenu;

// View > Theme: System (follows the desktop), Light or Dark, remembered in the settings. Qt 6.4
// has no QStyleHints::colorScheme, so "System" decides from the desktop palette's window colour.
namespace sigscope::ui {

enum class Theme { System, Light, Dark };

[[nodiscard]] QString themeName(Theme theme); // "system", "light", "dark"
[[nodiscard]] std::optional<Theme> themeFromName(const QString& name);
[[nodiscard]] bool paletteIsDark(const QPalette& palette); // window lightness below the middle
[[nodiscard]] bool themeIsDark(Theme theme, const QPalette& systemPalette);
[[nodiscard]] QPalette darkApplicationPalette();

class ThemeActions : public QObject
{
    Q_OBJECT
public:
    // Adds View > Theme to viewMenu; `applyCharts(dark)` sets the charts' palette.
    ThemeActions(QObject* parent, QMenu* viewMenu, std::function<void(bool dark)> applyCharts);

    void setTheme(Theme theme); // applies and checks the menu entry (not saved)
    [[nodiscard]] Theme theme() const { return m_theme; }
    [[nodiscard]] bool isDark() const;

Q_SIGNALS:
    void themeChosen(sigscope::ui::Theme theme); // from the menu: the window saves it

private:
    std::function<void(bool)> m_applyCharts;
    QPalette m_systemPalette; // the desktop's, as at start
    Theme m_theme = Theme::System;
    QAction* m_actions[3] = {};
};

} // namespace sigscope::ui
