#include "ui/mainwindow/shortcutsdialog.h"

#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QKeySequence>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace sigscope::ui {

namespace {

QString plainActionText(QString text)
{
    text.remove(QStringLiteral("…")).remove(QStringLiteral("...")); // before the mnemonic: "&&" stays literal
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(u'&');
    text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    return text.trimmed();
}

QString htmlSection(const QString& title, const std::vector<ShortcutsDialog::Row>& rows)
{
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing=\"0\" cellpadding=\"3\">").arg(title.toHtmlEscaped());
    for (const auto& row : rows)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(row.keys.toHtmlEscaped(), row.action.toHtmlEscaped());
    return html + QStringLiteral("</table>");
}

} // namespace

std::vector<ShortcutsDialog::Row> ShortcutsDialog::windowRows(const QWidget* window)
{
    std::vector<Row> rows;
    const auto actions = window->findChildren<QAction*>();
    for (const QAction* action : actions) {
        const auto shortcuts = action->shortcuts();
        if (shortcuts.isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence& key : shortcuts)
            keys << key.toString(QKeySequence::NativeText);
        rows.push_back({keys.join(QStringLiteral(", ")), plainActionText(action->text())});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.action < b.action; });
    return rows;
}

std::vector<ShortcutsDialog::Row> ShortcutsDialog::chartRows()
{
    std::vector<Row> rows;
    for (const auto& key : TraceChart::keyHelp())
        rows.push_back({key.keys, key.action});
    return rows;
}

std::vector<ShortcutsDialog::Row> ShortcutsDialog::overviewRows()
{
    std::vector<Row> rows;
    for (const auto& key : OverviewRaster::keyHelp())
        rows.push_back({key.keys, key.action});
    return rows;
}

ShortcutsDialog::ShortcutsDialog(const QWidget* window, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto* browser = new QTextBrowser(this);
    browser->setObjectName(QStringLiteral("shortcutsText"));
    browser->setHtml(htmlSection(tr("Window (work whatever has focus)"), windowRows(window))
                     + htmlSection(tr("Chart (when it has focus: click it or press the Focus Chart key)"), chartRows())
                     + htmlSection(tr("Overview (zooms as the chart does, except:)"), overviewRows()));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(browser);
    layout->addWidget(buttons);
    resize(520, 560);
}

QString ShortcutsDialog::text() const
{
    return findChild<QTextBrowser*>(QStringLiteral("shortcutsText"))->toPlainText();
}

} // namespace sigscope::ui
