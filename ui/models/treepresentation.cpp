#include "ui/models/treepresentation.h"

#include "core/model/identity.h"
#include "ui/models/roles.h"

#include <QApplication>
#include <QColor>
#include <QPainter>
#include <QPalette>
#include <QPen>
#include <QPixmap>
#include <QStyle>

namespace sigscope::ui {

namespace {

// A small filled shape: the kinds differ by colour and shape, so they read without colour too.
// Stacked: three of them offset, for a group of identical variants.
QIcon shapeIcon(const QColor& color, bool round, bool stacked = false)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(color.darker(140));
    painter.setBrush(color);
    const auto draw = [&](const QRectF& r) {
        if (round)
            painter.drawEllipse(r);
        else
            painter.drawRect(r);
    };
    if (stacked) {
        // Back to front, each outlined in white so the three stay apart at 16 px.
        painter.setPen(QPen(Qt::white, 1.2));
        for (const qreal at : {0.8, 4.3, 7.8})
            draw(QRectF(at, 7.6 - at + 0.8, 7.4, 7.4));
    } else {
        draw(QRectF(3.5, 3.5, 9, 9));
    }
    return QIcon(pixmap);
}

} // namespace

TreePresentationModel::TreePresentationModel(QObject* parent)
    : QIdentityProxyModel(parent)
    , m_signalIcon(shapeIcon(QColor(0x2b, 0x7b, 0xd4), true))
    , m_classifierIcon(shapeIcon(QColor(0xd8, 0x8a, 0x1c), false))
    , m_signalVariantsIcon(shapeIcon(QColor(0x2b, 0x7b, 0xd4), true, true))
    , m_classifierVariantsIcon(shapeIcon(QColor(0xd8, 0x8a, 0x1c), false, true))
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
        const auto level = static_cast<NodeLevel>(index.data(Role::Level).toInt());
        if (level != NodeLevel::Trace && level != NodeLevel::Variants)
            return m_groupIcon;
        const bool classifier = static_cast<core::Kind>(index.data(Role::TraceKind).toInt()) == core::Kind::Classifier;
        if (level == NodeLevel::Variants)
            return classifier ? m_classifierVariantsIcon : m_signalVariantsIcon;
        return classifier ? m_classifierIcon : m_signalIcon;
    }
    case Qt::ToolTipRole: {
        QStringList lines;
        // The Name column elides in the middle: the tooltip has the whole name.
        const auto level = static_cast<NodeLevel>(index.data(Role::Level).toInt());
        if (index.column() == TreeColumn::Name && level == NodeLevel::Trace)
            lines << index.data().toString();
        if (level == NodeLevel::Variants)
            lines << tr("%1: their change lists are equal (same changes hash in the index).")
                         .arg(index.data(Role::GroupName).toString())
                  << tr("The row charts the first of them:");
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
