#pragma once

#include "core/migration/migration.h"
#include "ui/models/roles.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <memory>

namespace sigscope::ui {

// A migration report (or the plan of a dry run, which is a report too) as a table: one row per
// source file, columns MigrationColumn. Rows stay in discovery order; the Outcome column's sort
// value puts problems first (failed, unrecognised, cancelled, conflict, ...) and keeps
// discovery order within one outcome, so "sort by outcome" is the result view's order.
class MigrationReportModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using Report = core::migration::MigrationReport;

    explicit MigrationReportModel(QObject* parent = nullptr);

    void setReport(std::shared_ptr<const Report> report);
    [[nodiscard]] const std::shared_ptr<const Report>& report() const { return m_report; }
    // Source paths are shown relative to this folder (the full path is the tooltip).
    void setSourceBase(const QString& folder);

    // 0 for the most urgent outcome (failed) up to migrated.
    static int problemRank(core::migration::Status status);
    static QString statusText(core::migration::Status status);
    // One line for the totals: "3 files · 2 traces · 45 changes · 2 migrated · 1 failed".
    static QString totalsText(const Report& report);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QString sourceText(const core::migration::FileOutcome& file) const;
    [[nodiscard]] QVariant displayText(const core::migration::FileOutcome& file, int column) const;
    [[nodiscard]] QVariant sortValue(const core::migration::FileOutcome& file, int row, int column) const;
    [[nodiscard]] QString toolTip(const core::migration::FileOutcome& file, int column) const;

    std::shared_ptr<const Report> m_report;
    QString m_sourceBase; // with a trailing '/', or empty
};

// Filter line of the migration tables: every whitespace-separated token must occur
// (case-insensitively) in one of the row's fields (source, variant, outcome, destination,
// reason, trace names): "failed l2" keeps failed L2 files. Sorting uses Role::Sort.
class MigrationFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit MigrationFilterProxy(QObject* parent = nullptr);

    void setFilterText(const QString& text);
    [[nodiscard]] bool isFiltering() const { return !m_tokens.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QStringList m_tokens;
};

} // namespace sigscope::ui
