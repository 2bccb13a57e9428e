#include "ui/mainwindow/theme.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QMenu>
#include <QStyle>

namespace sigscope::ui {

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

std::optional<Theme> themeFromName(const QString& name)
{
    for (const Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
        if (name == themeName(theme))
            return theme;
    }
    return std::nullopt;
}

bool paletteIsDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

bool themeIsDark(Theme theme, const QPalette& systemPalette)
{
    return theme == Theme::Dark || (theme == Theme::System && paletteIsDark(systemPalette));
}

QPalette darkApplicationPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2f, 0x33);
    const QColor base(0x1e, 0x22, 0x26);
    const QColor text(0xe0, 0xe4, 0xe8);
    const QColor disabled(0x7a, 0x82, 0x8a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x44, 0x4a, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x40, 0x46));
    p.setColor(QPalette::Mid, QColor(0x8a, 0x92, 0x9a)); // also the details panel's label colour
    p.setColor(QPalette::Dark, QColor(0x18, 0x1b, 0x1e));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6f, 0xa8, 0xe8));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

ThemeActions::ThemeActions(QObject* parent, QMenu* viewMenu, std::function<void(bool dark)> applyCharts)
    : QObject(parent)
    , m_applyCharts(std::move(applyCharts))
    , m_systemPalette(QApplication::palette())
{
    QMenu* menu = viewMenu->addMenu(tr("T&heme"));
    auto* group = new QActionGroup(this);
    const QString texts[3] = {tr("&System"), tr("&Light"), tr("&Dark")};
    for (const Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
        const int i = static_cast<int>(theme);
        QAction* action = menu->addAction(texts[i]);
        action->setCheckable(true);
        action->setObjectName(QStringLiteral("actionTheme_") + themeName(theme));
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, theme]() {
            setTheme(theme);
            Q_EMIT themeChosen(theme);
        });
        m_actions[i] = action;
    }
    m_actions[0]->setChecked(true);
}

bool ThemeActions::isDark() const
{
    return themeIsDark(m_theme, m_systemPalette);
}

void ThemeActions::setTheme(Theme theme)
{
    m_theme = theme;
    m_actions[static_cast<int>(theme)]->setChecked(true);
    const bool dark = isDark();
    if (dark)
        QApplication::setPalette(darkApplicationPalette());
    else if (theme == Theme::System || !paletteIsDark(m_systemPalette))
        QApplication::setPalette(m_systemPalette);
    else
        QApplication::setPalette(QApplication::style()->standardPalette());
    m_applyCharts(dark);
}

} // namespace sigscope::ui
