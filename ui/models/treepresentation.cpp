#include "ui/models/treepresentation.h"

#include "core/model/identity.h"
#include "ui/models/roles.h"

#include <QApplication>
#include <QColor>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QStyle>

namespace sigscope::ui {

namespace {

// A small filled shape: the kinds differ by colour and shape, so they read without colour too.
QIcon shapeIcon(const QColor& color, bool round)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(color.darker(140));
    painter.setBrush(color);
    if (round)
        painter.drawEllipse(QRectF(3.5, 3.5, 9, 9));
    else
        painter.drawRect(QRectF(3.5, 3.5, 9, 9));
    return QIcon(pixmap);
}

} // namespace

TreePresentationModel::TreePresentationModel(QObject* parent)
    : QIdentityProxyModel(parent)
    , m_signalIcon(shapeIcon(QColor(0x2b, 0x7b, 0xd4), true))
    , m_classifierIcon(shapeIcon(QColor(0xd8, 0x8a, 0x1c), false))
{
    QStyle* style = QApplication::style();
    m_groupIcon = style->standardIcon(QStyle::SP_DirIcon);
    m_warningIcon = style->standardIcon(QStyle::SP_MessageBoxWarning);
    m_errorIcon = style->standardIcon(QStyle::SP_MessageBoxCritical);
}

QVariant TreePresentationModel::data(const QModelIndex& index, int role) const
{
    switch (role) {
    case Qt::DecorationRole: {
        if (index.column() != TreeColumn::Name)
            return {};
        const auto integrity = static_cast<Integrity>(index.data(Role::IntegrityLevel).toInt());
        if (integrity == Integrity::Error)
            return m_errorIcon;
        if (integrity == Integrity::Warning)
            return m_warningIcon;
        if (static_cast<NodeLevel>(index.data(Role::Level).toInt()) != NodeLevel::Trace)
            return m_groupIcon;
        return static_cast<core::Kind>(index.data(Role::TraceKind).toInt()) == core::Kind::Classifier ? m_classifierIcon
                                                                                                       : m_signalIcon;
    }
    case Qt::ToolTipRole: {
        QStringList lines;
        // The Name column elides in the middle: the tooltip has the whole name.
        if (index.column() == TreeColumn::Name
            && static_cast<NodeLevel>(index.data(Role::Level).toInt()) == NodeLevel::Trace)
            lines << index.data().toString();
        const QString path = index.data(Role::FilePath).toString();
        if (!path.isEmpty())
            lines << path;
        if (index.data(Role::Orphan).toBool())
            lines << tr("Not listed in the type's index.json");
        const QString problems = index.data(Role::IntegrityText).toString();
        if (!problems.isEmpty())
            lines << problems;
        if (index.column() >= TreeColumn::Count) // a metric cell: why the trace has none
            lines << QIdentityProxyModel::data(index, role).toString();
        lines.removeAll(QString());
        return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
    }
    case Qt::ForegroundRole:
        if (index.data(Role::Orphan).toBool())
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        if (static_cast<Integrity>(index.data(Role::IntegrityLevel).toInt()) == Integrity::Error
            && static_cast<NodeLevel>(index.data(Role::Level).toInt()) == NodeLevel::Trace)
            return QColor(0xb0, 0x20, 0x20);
        return {};
    case Qt::TextAlignmentRole:
        // Counts and the metric columns after TreeColumn::Count (ui/mainwindow/treemetrics.h) are numbers.
        if (index.column() == TreeColumn::Changes || index.column() == TreeColumn::Bars
            || index.column() >= TreeColumn::Count)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return QIdentityProxyModel::data(index, role);
    }
}

} // namespace sigscope::ui
