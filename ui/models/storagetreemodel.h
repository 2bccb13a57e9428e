#pragma once

#include "core/model/identity.h"
#include "core/storage/storage.h"
#include "core/util/progress.h"
#include "ui/models/roles.h"

#include <QAbstractItemModel>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sigscope::ui {

struct StorageSnapshot;
class TreeExtraColumns;

// The storage as a tree: Signals / Classifiers -> type -> trace, built from the indexes only.
// A new snapshot of the same folder is merged row by row (inserts, removals, dataChanged), so
// views keep their selection and expansion while a sweep is still writing.
class StorageTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    explicit StorageTreeModel(QObject* parent = nullptr);
    ~StorageTreeModel() override;

    void setSnapshot(std::shared_ptr<const StorageSnapshot> snapshot);
    [[nodiscard]] const std::shared_ptr<const StorageSnapshot>& snapshot() const { return m_snapshot; }
    void clear();

    // Columns after TreeColumn::Count, filled by columns (which outlives the model's use of it).
    void setExtraColumns(const TreeExtraColumns* columns); // resets the model
    void extraColumnsChanged(); // their values changed: dataChanged over every trace row
    // Identical variants below each type become one group row (ui/models/variantgroups.h); off
    // by default. Changing it merges rows like a re-read.
    void setGroupVariants(bool group);
    [[nodiscard]] bool groupsVariants() const { return m_groupVariants; }
    // Changes hashes by file path for entries whose index has none (computed from their files in
    // the background, ui/session/varianthashes.h): they group too. Cleared with the storage.
    void setComputedHashes(std::unordered_map<std::string, std::string> hashes);
    [[nodiscard]] const std::unordered_map<std::string, std::string>& computedHashes() const { return m_computedHashes; }

Q_SIGNALS:
    void groupVariantsChanged(bool group);
    // Around every merge of rows: traces moving into or out of a group of variants are removed
    // and inserted again, so a view that wants its selection kept saves it here and restores it.
    void rowsMerging();
    void rowsMerged();

public:

    // Integrity badges from core verify. Paths may be absolute or relative to the root; an
    // "orphan-file" finding adds a row for the file no index lists.
    void setFindings(std::vector<core::Finding> findings);

    [[nodiscard]] int traceCount() const;
    // The index entry behind a trace row (nullptr for groups). Orphans get a stand-in entry.
    [[nodiscard]] const core::IndexEntry* entry(const QModelIndex& index) const;
    [[nodiscard]] QModelIndex indexForPath(const QString& filePath, int column = 0) const;
    [[nodiscard]] QModelIndex kindIndex(core::Kind kind) const;
    [[nodiscard]] QModelIndex typeIndex(core::Kind kind, const QString& type) const;
    // Trace rows below index (itself when it is one), in model order.
    [[nodiscard]] QModelIndexList traceIndexes(const QModelIndex& parent) const;

    static QString parametersText(const core::Parameters& parameters);
    // What the filter box matches for an entry (Role::FilterText): core::query::entryFields,
    // the same fields `sigscope export --select` matches.
    static QString filterText(const core::IndexEntry& entry);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct Node;
    struct Desired;

    [[nodiscard]] Node* nodeOf(const QModelIndex& index) const;
    [[nodiscard]] QModelIndex indexOf(const Node* node, int column = 0) const;
    void rebuildFromScratch();
    void sync();
    void syncChildren(Node* parent, std::vector<Desired> desired);
    void refreshAggregates();
    std::vector<Desired> desiredTypes(core::Kind kind) const;
    [[nodiscard]] std::string relativePath(const std::string& path) const;
    void emitAggregateChanges(Node* node);
    void forgetPaths(const Node& node);
    std::vector<Desired> groupedVariants(std::vector<Desired> traces) const;
    static void describeTrace(const Node& node);
    std::unique_ptr<Node> buildNode(Node* parent, Desired& desired);

    std::shared_ptr<const StorageSnapshot> m_snapshot;
    std::vector<std::unique_ptr<Node>> m_kinds; // Signals, Classifiers
    std::unordered_map<std::string, std::vector<core::Finding>> m_findings; // by relative path
    std::vector<std::unique_ptr<core::IndexEntry>> m_orphans;
    std::unordered_map<std::string, Node*> m_byPath;
    const TreeExtraColumns* m_extra = nullptr;
    bool m_groupVariants = false;
    std::unordered_map<std::string, std::string> m_computedHashes; // by file path
};

} // namespace sigscope::ui
