#include "ui/models/migrationreportmodel.h"

#include "ui/models/tracefilterproxy.h"

#include <QLocale>

#include <tuple>

namespace sigscope::ui {

namespace {

namespace mig = core::migration;

QString fromStd(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

quint64 changesOf(const mig::FileOutcome& file)
{
    quint64 n = 0;
    for (const auto& t : file.traces)
        n += t.changes;
    return n;
}

QString reasonOf(const mig::FileOutcome& file, const QString& sourceBase)
{
    if (!file.reason.empty())
        return fromStd(file.reason);
    // A duplicate names where the same trace came from first: that is the "why" of the row.
    for (const auto& t : file.traces) {
        if (t.duplicateOf.empty())
            continue;
        QString first = QString::fromStdString(t.duplicateOf);
        if (!sourceBase.isEmpty() && first.startsWith(sourceBase))
            first = first.mid(sourceBase.size());
        return QObject::tr("duplicate of %1").arg(first);
    }
    return {};
}

} // namespace

MigrationReportModel::MigrationReportModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void MigrationReportModel::setReport(std::shared_ptr<const Report> report)
{
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

void MigrationReportModel::setSourceBase(const QString& folder)
{
    QString base = folder;
    if (!base.isEmpty() && !base.endsWith(QLatin1Char('/')))
        base += QLatin1Char('/');
    if (base == m_sourceBase)
        return;
    m_sourceBase = base;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, MigrationColumn::Count - 1));
}

int MigrationReportModel::problemRank(mig::Status status)
{
    switch (status) {
    case mig::Status::Failed: return 0;
    case mig::Status::Unrecognised: return 1;
    case mig::Status::Cancelled: return 2;
    case mig::Status::Conflict: return 3;
    case mig::Status::Duplicate: return 4;
    case mig::Status::Unchanged: return 5;
    case mig::Status::Skipped: return 6;
    case mig::Status::Migrated: return 7;
    }
    return 0;
}

QString MigrationReportModel::statusText(mig::Status status)
{
    return fromStd(mig::statusName(status));
}

QString MigrationReportModel::totalsText(const Report& report)
{
    const mig::MigrationTotals& t = report.totals;
    const QLocale locale;
    const auto counted = [&locale](quint64 n, const QString& one, const QString& many) -> QString {
        return locale.toString(qulonglong(n)) + QLatin1Char(' ') + (n == 1 ? one : many);
    };
    QStringList parts{counted(t.filesSeen, tr("file"), tr("files")), counted(t.traces, tr("trace"), tr("traces")),
                      counted(t.changesRead, tr("change"), tr("changes"))};
    const QString migrated = report.dryRun ? tr("to migrate") : tr("migrated");
    const std::tuple<quint64, QString, QString> counts[] = {
        {t.migrated, migrated, migrated},
        {t.unchanged, tr("unchanged"), tr("unchanged")},
        {t.duplicates, tr("duplicate"), tr("duplicates")},
        {t.conflicts, tr("conflict"), tr("conflicts")},
        {t.unrecognised, tr("unrecognised"), tr("unrecognised")},
        {t.skipped, tr("skipped"), tr("skipped")},
        {t.failed, tr("failed"), tr("failed")},
        {t.cancelled, tr("cancelled"), tr("cancelled")},
    };
    for (const auto& [count, one, many] : counts)
        if (count > 0)
            parts << counted(count, one, many);
    if (report.dryRun)
        parts << tr("%1 traces to write").arg(locale.toString(qulonglong(t.tracesWritten)));
    else
        parts << tr("%1 traces written").arg(locale.toString(qulonglong(t.tracesWritten)));
    return parts.join(QStringLiteral(" · "));
}

int MigrationReportModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_report)
        return 0;
    return int(m_report->files.size());
}

int MigrationReportModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : MigrationColumn::Count;
}

QString MigrationReportModel::sourceText(const mig::FileOutcome& file) const
{
    QString path = QString::fromStdString(file.path);
    if (!m_sourceBase.isEmpty() && path.startsWith(m_sourceBase))
        return path.mid(m_sourceBase.size());
    return path;
}

QVariant MigrationReportModel::displayText(const mig::FileOutcome& file, int column) const
{
    switch (column) {
    case MigrationColumn::Source: return sourceText(file);
    case MigrationColumn::Variant: return fromStd(mig::variantName(file.variant));
    case MigrationColumn::Traces: return QLocale().toString(qulonglong(file.traces.size()));
    case MigrationColumn::Changes: return QLocale().toString(qulonglong(changesOf(file)));
    case MigrationColumn::Destination:
        if (file.traces.empty())
            return QString();
        if (file.traces.size() == 1)
            return QString::fromStdString(file.traces.front().filePath);
        return tr("%1 (+%2 more)")
            .arg(QString::fromStdString(file.traces.front().filePath))
            .arg(file.traces.size() - 1);
    case MigrationColumn::Outcome: return statusText(file.status);
    case MigrationColumn::Reason: return reasonOf(file, m_sourceBase);
    default: return {};
    }
}

QVariant MigrationReportModel::sortValue(const mig::FileOutcome& file, int row, int column) const
{
    switch (column) {
    case MigrationColumn::Traces: return qulonglong(file.traces.size());
    case MigrationColumn::Changes: return qulonglong(changesOf(file));
    case MigrationColumn::Outcome: return (qlonglong(problemRank(file.status)) << 32) | qlonglong(row);
    default: return displayText(file, column);
    }
}

QString MigrationReportModel::toolTip(const mig::FileOutcome& file, int column) const
{
    switch (column) {
    case MigrationColumn::Source: return QString::fromStdString(file.path);
    case MigrationColumn::Destination:
    case MigrationColumn::Outcome: {
        QStringList lines;
        for (const auto& t : file.traces) {
            QString line = QStringLiteral("%1 → %2: %3")
                               .arg(QString::fromStdString(t.name), QString::fromStdString(t.filePath),
                                    statusText(t.status));
            if (!t.reason.empty())
                line += QStringLiteral(" (") + QString::fromStdString(t.reason) + QLatin1Char(')');
            lines << line;
        }
        return lines.join(QLatin1Char('\n'));
    }
    case MigrationColumn::Reason: return reasonOf(file, m_sourceBase);
    default: return {};
    }
}

QVariant MigrationReportModel::data(const QModelIndex& index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const mig::FileOutcome& file = m_report->files[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return displayText(file, index.column());
    case Role::Sort: return sortValue(file, index.row(), index.column());
    case Qt::ToolTipRole: {
        const QString tip = toolTip(file, index.column());
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case Qt::TextAlignmentRole:
        if (index.column() == MigrationColumn::Traces || index.column() == MigrationColumn::Changes)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Role::MigrationStatus: return int(file.status);
    case Role::FilterText: {
        QStringList fields{sourceText(file), fromStd(mig::variantName(file.variant)), statusText(file.status),
                           reasonOf(file, m_sourceBase)};
        for (const auto& t : file.traces)
            fields << QString::fromStdString(t.name) << QString::fromStdString(t.filePath);
        return fields.join(QLatin1Char('\n')).toLower();
    }
    default: return {};
    }
}

QVariant MigrationReportModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole
        && (section == MigrationColumn::Traces || section == MigrationColumn::Changes))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case MigrationColumn::Source: return tr("Source file");
    case MigrationColumn::Variant: return tr("Variant");
    case MigrationColumn::Traces: return tr("Traces");
    case MigrationColumn::Changes: return tr("Changes");
    case MigrationColumn::Destination: return tr("Destination");
    case MigrationColumn::Outcome: return tr("Outcome");
    case MigrationColumn::Reason: return tr("Reason");
    default: return {};
    }
}

MigrationFilterProxy::MigrationFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(Role::Sort);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void MigrationFilterProxy::setFilterText(const QString& text)
{
    QStringList tokens = TraceFilterProxy::tokenize(text);
    if (tokens == m_tokens)
        return;
    m_tokens = std::move(tokens);
    invalidateRowsFilter();
}

bool MigrationFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_tokens.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return TraceFilterProxy::matches(m_tokens, index.data(Role::FilterText).toString());
}

} // namespace sigscope::ui
