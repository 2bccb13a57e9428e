#pragma once

#include <QDialog>
#include <QString>
#include <vector>

class QWidget;

namespace sigscope::ui {

// Help > Keyboard Shortcuts: every shortcut of the window's actions, read from the QActions
// themselves, and the chart's keys from TraceChart::keyHelp(), so the list cannot go stale.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    struct Row
    {
        QString keys;   // "Ctrl+E", several joined with ", "
        QString action; // the action's text without mnemonics and ellipsis
    };

    explicit ShortcutsDialog(const QWidget* window, QWidget* parent = nullptr);

    // The actions of `window` (and its children) that have a shortcut, sorted by action text.
    static std::vector<Row> windowRows(const QWidget* window);
    static std::vector<Row> chartRows();
    static std::vector<Row> overviewRows(); // where the overview's gestures differ from the chart's
    [[nodiscard]] QString text() const; // the dialog's table as plain text
};

} // namespace sigscope::ui
