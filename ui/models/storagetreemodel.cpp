#include "ui/models/storagetreemodel.h"

#include "core/model/parameters.h"
#include "core/query/filter.h"
#include "core/util/naturalorder.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/treeextracolumns.h"
#include "ui/models/variantgroups.h"

#include <QStringList>

#include <algorithm>
#include <map>

namespace sigscope::ui {

namespace {

std::int64_t effectiveBars(const core::IndexEntry& entry)
{
    return std::max(entry.totalBars, entry.lastIdx ? *entry.lastIdx + 1 : 0);
}

Integrity integrityOf(core::Finding::Severity severity)
{
    switch (severity) {
    case core::Finding::Severity::Info:
        return Integrity::Info;
    case core::Finding::Severity::Warning:
        return Integrity::Warning;
    case core::Finding::Severity::Error:
        return Integrity::Error;
    }
    return Integrity::Ok;
}

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace

struct StorageTreeModel::Node
{
    Node* parent = nullptr;
    NodeLevel level = NodeLevel::Kind;
    core::Kind kind = core::Kind::Signal;
    std::string key; // kind folder, type name or file path: children are sorted by it (core::naturalLess)
    const core::IndexEntry* entry = nullptr;
    bool orphan = false;
    std::vector<std::unique_ptr<Node>> children;
    int row = 0;
    // Group aggregates, refreshed after every change.
    int traces = 0;
    qint64 changes = 0;
    Integrity integrity = Integrity::Ok;
    QString integrityText;
    // Trace texts, computed on first use (opening 10,000 traces must not pay for them).
    mutable bool described = false;
    mutable QString parameters;
    mutable QString filterText;
};

struct StorageTreeModel::Desired
{
    std::string key;
    const core::IndexEntry* entry = nullptr;
    bool orphan = false;
    std::vector<Desired> children;
    bool variants = false; // a group of identical variants
};

StorageTreeModel::StorageTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{
    for (const core::Kind kind : {core::Kind::Signal, core::Kind::Classifier}) {
        auto node = std::make_unique<Node>();
        node->level = NodeLevel::Kind;
        node->kind = kind;
        node->key = std::string(core::kindFolder(kind));
        node->row = static_cast<int>(m_kinds.size());
        m_kinds.push_back(std::move(node));
    }
}

StorageTreeModel::~StorageTreeModel() = default;

QString StorageTreeModel::parametersText(const core::Parameters& parameters)
{
    QStringList parts;
    parts.reserve(static_cast<qsizetype>(parameters.size()));
    for (const auto& [key, value] : parameters.entries())
        parts << qs(key) + QLatin1Char('=') + qs(core::displayText(value));
    return parts.join(QStringLiteral(", "));
}

void StorageTreeModel::clear()
{
    beginResetModel();
    for (auto& kind : m_kinds)
        kind->children.clear();
    m_byPath.clear();
    m_findings.clear();
    m_orphans.clear();
    m_computedHashes.clear();
    m_snapshot.reset();
    refreshAggregates();
    endResetModel();
}

void StorageTreeModel::setSnapshot(std::shared_ptr<const StorageSnapshot> snapshot)
{
    // Keep the previous snapshot alive while merging: nodes still point into it.
    const auto previous = std::exchange(m_snapshot, std::move(snapshot));
    if (!previous || !m_snapshot || previous->root != m_snapshot->root) {
        beginResetModel();
        m_findings.clear(); // they were about another folder
        m_orphans.clear();
        m_computedHashes.clear();
        rebuildFromScratch();
        endResetModel();
        return;
    }
    sync();
}

void StorageTreeModel::setGroupVariants(bool group)
{
    if (std::exchange(m_groupVariants, group) == group)
        return;
    sync();
    Q_EMIT groupVariantsChanged(group);
}

void StorageTreeModel::setComputedHashes(std::unordered_map<std::string, std::string> hashes)
{
    m_computedHashes = std::move(hashes);
    if (m_groupVariants)
        sync();
}

std::vector<StorageTreeModel::Desired> StorageTreeModel::groupedVariants(std::vector<Desired> traces) const
{
    std::vector<const core::IndexEntry*> entries;
    entries.reserve(traces.size());
    for (const Desired& d : traces)
        entries.push_back(d.orphan ? nullptr : d.entry);
    std::vector<Desired> rows;
    for (const auto& members : variantgroups::arrange(entries, &m_computedHashes)) {
        if (members.size() == 1) {
            rows.push_back(std::move(traces[members.front()]));
            continue;
        }
        Desired group{variantgroups::groupKey(traces[members.front()].key), nullptr, false, {}, true};
        for (const std::size_t m : members)
            group.children.push_back(std::move(traces[m]));
        rows.push_back(std::move(group));
    }
    return rows;
}

void StorageTreeModel::setFindings(std::vector<core::Finding> findings)
{
    // None before, none now (a clean open): no row changes, and 100,000 rows are not touched.
    if (findings.empty() && m_findings.empty() && m_orphans.empty())
        return;
    m_findings.clear();
    auto previousOrphans = std::exchange(m_orphans, {});
    std::vector<std::string> orphanPaths;
    for (auto& finding : findings) {
        std::string path = relativePath(finding.path);
        if (finding.code == "orphan-file")
            orphanPaths.push_back(path);
        m_findings[path].push_back(std::move(finding));
    }
    std::sort(orphanPaths.begin(), orphanPaths.end());
    orphanPaths.erase(std::unique(orphanPaths.begin(), orphanPaths.end()), orphanPaths.end());
    for (const auto& path : orphanPaths) {
        // kind folder / type folder / file name
        const auto first = path.find('/');
        const auto second = first == std::string::npos ? std::string::npos : path.find('/', first + 1);
        if (second == std::string::npos)
            continue;
        const auto kind = core::kindFromFolder(std::string_view(path).substr(0, first));
        if (!kind)
            continue;
        auto entry = std::make_unique<core::IndexEntry>();
        entry->kind = *kind;
        entry->type = path.substr(first + 1, second - first - 1);
        const std::string fileName = path.substr(second + 1);
        entry->name = fileName.size() > 5 && fileName.ends_with(".json") ? fileName.substr(0, fileName.size() - 5) : fileName;
        entry->filePath = path;
        entry->storedFilePath = path;
        m_orphans.push_back(std::move(entry));
    }
    sync();
    // Badges of every trace may have changed: one dataChanged per type folder (and variants group).
    const auto changedRows = [this](const Node& parent) {
        if (!parent.children.empty())
            Q_EMIT dataChanged(indexOf(parent.children.front().get(), 0),
                               indexOf(parent.children.back().get(), TreeColumn::Count - 1));
    };
    for (const auto& kind : m_kinds) {
        for (const auto& type : kind->children) {
            changedRows(*type);
            for (const auto& row : type->children)
                changedRows(*row);
        }
    }
}

std::string StorageTreeModel::relativePath(const std::string& path) const
{
    std::filesystem::path p(path);
    if (m_snapshot && p.is_absolute()) {
        const auto relative = p.lexically_relative(m_snapshot->root);
        if (!relative.empty() && *relative.begin() != "..")
            p = relative;
    }
    std::string text = p.lexically_normal().generic_string();
    if (text.starts_with("./"))
        text.erase(0, 2);
    return text;
}

namespace {

// The length of the folder part ("signals/rsi/") all keys start with; 0 when they do not share one.
template<class Rows>
std::size_t sharedFolderPrefix(const Rows& rows)
{
    if (rows.empty())
        return 0;
    const std::string_view first(rows.front().key);
    const auto slash = first.rfind('/');
    if (slash == std::string_view::npos)
        return 0;
    const std::string_view prefix = first.substr(0, slash + 1);
    for (const auto& row : rows)
        if (!std::string_view(row.key).starts_with(prefix))
            return 0;
    return prefix.size();
}

} // namespace

std::vector<StorageTreeModel::Desired> StorageTreeModel::desiredTypes(core::Kind kind) const
{
    std::map<std::string, Desired, core::NaturalLess> types;
    if (m_snapshot) {
        for (const auto& index : m_snapshot->indexes) {
            if (index.kind != kind)
                continue;
            auto& type = types[index.type];
            type.key = index.type;
            for (const auto& entry : index.entries)
                type.children.push_back(Desired{entry.filePath, &entry, false, {}});
        }
    }
    for (const auto& orphan : m_orphans) {
        if (orphan->kind != kind)
            continue;
        auto& type = types[orphan->type];
        type.key = orphan->type;
        const bool listed = std::any_of(type.children.begin(), type.children.end(),
                                        [&](const Desired& d) { return d.key == orphan->filePath; });
        if (!listed)
            type.children.push_back(Desired{orphan->filePath, orphan.get(), true, {}});
    }
    std::vector<Desired> result;
    result.reserve(types.size());
    for (auto& [name, type] : types) {
        auto& children = type.children;
        // Paths of one type folder share "<kind>/<type>/": compared after it (it ends in '/', so
        // no number runs across it and the order is the same).
        const std::size_t shared = sharedFolderPrefix(children);
        std::stable_sort(children.begin(), children.end(), [shared](const Desired& a, const Desired& b) {
            return core::naturalLess(std::string_view(a.key).substr(shared), std::string_view(b.key).substr(shared));
        });
        // One row per file, even if an index lists a path twice.
        children.erase(std::unique(children.begin(), children.end(),
                                   [](const Desired& a, const Desired& b) { return a.key == b.key; }),
                       children.end());
        if (m_groupVariants)
            children = groupedVariants(std::move(children));
        result.push_back(std::move(type));
    }
    return result;
}

void StorageTreeModel::rebuildFromScratch()
{
    m_byPath.clear();
    for (auto& kind : m_kinds) {
        kind->children.clear();
        auto types = desiredTypes(kind->kind);
        kind->children.reserve(types.size());
        for (auto& desiredType : types) {
            kind->children.push_back(buildNode(kind.get(), desiredType));
            kind->children.back()->row = static_cast<int>(kind->children.size() - 1);
        }
    }
    refreshAggregates();
}

std::unique_ptr<StorageTreeModel::Node> StorageTreeModel::buildNode(Node* parent, Desired& desired)
{
    auto node = std::make_unique<Node>();
    node->parent = parent;
    node->level = parent->level == NodeLevel::Kind ? NodeLevel::Type
        : desired.variants                         ? NodeLevel::Variants
                                                   : NodeLevel::Trace;
    node->kind = parent->kind;
    node->key = desired.key;
    node->entry = desired.entry;
    node->orphan = desired.orphan;
    if (node->level == NodeLevel::Trace) {
        m_byPath[node->key] = node.get();
    }
    node->children.reserve(desired.children.size());
    for (auto& child : desired.children) {
        node->children.push_back(buildNode(node.get(), child));
        node->children.back()->row = static_cast<int>(node->children.size() - 1);
    }
    return node;
}

void StorageTreeModel::sync()
{
    Q_EMIT rowsMerging();
    for (auto& kind : m_kinds) {
        std::vector<Desired> types = desiredTypes(kind->kind);
        syncChildren(kind.get(), std::move(types));
    }
    refreshAggregates();
    for (auto& kind : m_kinds)
        emitAggregateChanges(kind.get());
    Q_EMIT rowsMerged();
}

void StorageTreeModel::syncChildren(Node* parent, std::vector<Desired> desired)
{
    auto& children = parent->children;
    const auto renumber = [&children](std::size_t from) {
        for (std::size_t r = from; r < children.size(); ++r)
            children[r]->row = static_cast<int>(r);
    };
    const QModelIndex parentIndex = indexOf(parent);
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < children.size() || j < desired.size()) {
        const bool removeHere = j == desired.size() || (i < children.size() && core::naturalLess(children[i]->key, desired[j].key));
        if (removeHere) {
            std::size_t end = i;
            while (end < children.size() && (j == desired.size() || core::naturalLess(children[end]->key, desired[j].key)))
                ++end;
            beginRemoveRows(parentIndex, static_cast<int>(i), static_cast<int>(end - 1));
            for (std::size_t r = i; r < end; ++r)
                forgetPaths(*children[r]);
            children.erase(children.begin() + static_cast<std::ptrdiff_t>(i),
                           children.begin() + static_cast<std::ptrdiff_t>(end));
            renumber(i);
            endRemoveRows();
            continue;
        }
        const bool insertHere = i == children.size() || core::naturalLess(desired[j].key, children[i]->key);
        if (insertHere) {
            std::size_t end = j;
            while (end < desired.size() && (i == children.size() || core::naturalLess(desired[end].key, children[i]->key)))
                ++end;
            const std::size_t count = end - j;
            beginInsertRows(parentIndex, static_cast<int>(i), static_cast<int>(i + count - 1));
            std::vector<std::unique_ptr<Node>> fresh;
            fresh.reserve(count);
            for (std::size_t k = j; k < end; ++k)
                fresh.push_back(buildNode(parent, desired[k])); // a new type arrives with its traces
            children.insert(children.begin() + static_cast<std::ptrdiff_t>(i), std::make_move_iterator(fresh.begin()),
                            std::make_move_iterator(fresh.end()));
            renumber(i);
            endInsertRows();
            i += count;
            j = end;
            continue;
        }
        // Same key: keep the row (and any selection on it), refresh what changed.
        Node* node = children[i].get();
        Desired& d = desired[j];
        if (node->level == NodeLevel::Trace) {
            const bool changed = node->orphan != d.orphan || (node->entry == nullptr) != (d.entry == nullptr)
                || (node->entry && d.entry && !(*node->entry == *d.entry));
            node->entry = d.entry;
            node->orphan = d.orphan;
            if (changed) {
                node->described = false;
                Q_EMIT dataChanged(indexOf(node, 0), indexOf(node, TreeColumn::Count - 1));
            }
        } else {
            syncChildren(node, std::move(d.children));
        }
        ++i;
        ++j;
    }
}

void StorageTreeModel::forgetPaths(const Node& node)
{
    // A trace moving into (or out of) a group of variants is registered again by its new node
    // before its old one is removed.
    if (const auto it = m_byPath.find(node.key); node.level == NodeLevel::Trace && it != m_byPath.end() && it->second == &node)
        m_byPath.erase(it);
    for (const auto& child : node.children)
        forgetPaths(*child);
}

void StorageTreeModel::refreshAggregates()
{
    const auto findingsText = [this](const std::string& path, Integrity& worst, QStringList& lines) {
        const auto it = m_findings.find(path);
        if (it == m_findings.end())
            return;
        for (const auto& finding : it->second) {
            worst = std::max(worst, integrityOf(finding.severity));
            lines << qs(finding.code) + QStringLiteral(": ") + qs(finding.message);
        }
    };
    for (auto& kind : m_kinds) {
        kind->traces = 0;
        kind->changes = 0;
        kind->integrity = Integrity::Ok;
        int kindProblems = 0;
        for (auto& type : kind->children) {
            type->traces = 0;
            type->changes = 0;
            type->integrity = Integrity::Ok;
            Integrity worst = Integrity::Ok;
            QStringList lines;
            const std::string folder = kind->key + '/' + type->key;
            findingsText(folder, worst, lines);
            findingsText(folder + "/index.json", worst, lines);
            int problems = 0;
            const auto visitTrace = [&](Node& trace, Node& group) {
                ++group.traces;
                if (trace.entry && !trace.orphan)
                    group.changes += trace.entry->totalItems;
                Integrity traceWorst = Integrity::Ok;
                QStringList traceLines;
                findingsText(trace.key, traceWorst, traceLines);
                trace.integrity = traceWorst;
                trace.integrityText = traceLines.join(QLatin1Char('\n'));
                if (traceWorst >= Integrity::Warning)
                    ++problems;
                group.integrity = std::max(group.integrity, traceWorst);
            };
            for (auto& row : type->children) {
                if (row->level == NodeLevel::Trace) {
                    visitTrace(*row, *type);
                    continue;
                }
                row->traces = 0;
                row->changes = 0;
                row->integrity = Integrity::Ok;
                for (auto& trace : row->children)
                    visitTrace(*trace, *row);
                type->traces += row->traces;
                type->changes += row->changes;
                type->integrity = std::max(type->integrity, row->integrity);
            }
            worst = std::max(worst, type->integrity);
            if (problems > 0)
                lines << tr("%n trace(s) with problems", nullptr, problems);
            type->integrity = worst;
            type->integrityText = lines.join(QLatin1Char('\n'));
            kind->traces += type->traces;
            kind->changes += type->changes;
            kind->integrity = std::max(kind->integrity, worst);
            kindProblems += problems;
        }
        kind->integrityText = kindProblems > 0 ? tr("%n trace(s) with problems", nullptr, kindProblems) : QString();
    }
}

void StorageTreeModel::emitAggregateChanges(Node* node)
{
    if (node->level == NodeLevel::Trace)
        return;
    Q_EMIT dataChanged(indexOf(node, 0), indexOf(node, TreeColumn::Count - 1));
    for (const auto& child : node->children)
        emitAggregateChanges(child.get());
}

int StorageTreeModel::traceCount() const
{
    int count = 0;
    for (const auto& kind : m_kinds)
        count += kind->traces;
    return count;
}

const core::IndexEntry* StorageTreeModel::entry(const QModelIndex& index) const
{
    const Node* node = nodeOf(index);
    return node && node->level == NodeLevel::Trace ? node->entry : nullptr;
}

QModelIndex StorageTreeModel::indexForPath(const QString& filePath, int column) const
{
    const auto it = m_byPath.find(filePath.toStdString());
    return it == m_byPath.end() ? QModelIndex() : indexOf(it->second, column);
}

QModelIndex StorageTreeModel::kindIndex(core::Kind kind) const
{
    return indexOf(m_kinds[kind == core::Kind::Signal ? 0 : 1].get());
}

QModelIndex StorageTreeModel::typeIndex(core::Kind kind, const QString& type) const
{
    const auto& kindNode = m_kinds[kind == core::Kind::Signal ? 0 : 1];
    const std::string key = type.toStdString();
    const auto it = std::lower_bound(kindNode->children.begin(), kindNode->children.end(), key,
                                     [](const std::unique_ptr<Node>& n, const std::string& k) { return core::naturalLess(n->key, k); });
    return it != kindNode->children.end() && (*it)->key == key ? indexOf(it->get()) : QModelIndex();
}

QModelIndexList StorageTreeModel::traceIndexes(const QModelIndex& parent) const
{
    QModelIndexList result;
    const auto collect = [&](const auto& self, const Node* node) -> void {
        if (node->level == NodeLevel::Trace) {
            result << indexOf(node);
            return;
        }
        for (const auto& child : node->children)
            self(self, child.get());
    };
    if (const Node* node = nodeOf(parent)) {
        collect(collect, node);
    } else {
        for (const auto& kind : m_kinds)
            collect(collect, kind.get());
    }
    return result;
}

StorageTreeModel::Node* StorageTreeModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : nullptr;
}

QModelIndex StorageTreeModel::indexOf(const Node* node, int column) const
{
    return node ? createIndex(node->row, column, const_cast<Node*>(node)) : QModelIndex();
}

QModelIndex StorageTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return indexOf(m_kinds[static_cast<std::size_t>(row)].get(), column);
    const Node* node = nodeOf(parent);
    return indexOf(node->children[static_cast<std::size_t>(row)].get(), column);
}

QModelIndex StorageTreeModel::parent(const QModelIndex& child) const
{
    const Node* node = nodeOf(child);
    return node ? indexOf(node->parent) : QModelIndex();
}

int StorageTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_kinds.size());
    if (parent.column() != 0)
        return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int StorageTreeModel::columnCount(const QModelIndex&) const
{
    return TreeColumn::Count + (m_extra ? m_extra->extraColumnCount() : 0);
}

void StorageTreeModel::setExtraColumns(const TreeExtraColumns* columns)
{
    beginResetModel();
    m_extra = columns;
    endResetModel();
}

void StorageTreeModel::extraColumnsChanged()
{
    const int last = columnCount() - 1;
    if (last < TreeColumn::Count)
        return;
    const auto changed = [&](const Node& parent) {
        if (!parent.children.empty())
            Q_EMIT dataChanged(indexOf(parent.children.front().get(), TreeColumn::Count),
                               indexOf(parent.children.back().get(), last));
    };
    for (const auto& kind : m_kinds) {
        for (const auto& type : kind->children) {
            changed(*type);
            for (const auto& row : type->children) // the members of groups of identical variants
                changed(*row);
        }
    }
}

Qt::ItemFlags StorageTreeModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Node* node = nodeOf(index);
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (node->level == NodeLevel::Trace)
        result |= Qt::ItemNeverHasChildren;
    return result;
}

QVariant StorageTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && m_extra && section >= TreeColumn::Count)
        return m_extra->extraHeader(section - TreeColumn::Count, role);
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TreeColumn::Name:
        return tr("Name");
    case TreeColumn::Symbol:
        return tr("Symbol");
    case TreeColumn::Timeframe:
        return tr("Timeframe");
    case TreeColumn::Changes:
        return tr("Changes");
    case TreeColumn::Bars:
        return tr("Bars");
    case TreeColumn::Parameters:
        return tr("Parameters");
    default:
        return {};
    }
}

// Fills the per-trace texts of a node from its entry.
void StorageTreeModel::describeTrace(const Node& node)
{
    if (node.described)
        return;
    node.described = true;
    node.parameters.clear();
    node.filterText.clear();
    const core::IndexEntry* entry = node.entry;
    if (!entry)
        return;
    node.parameters = StorageTreeModel::parametersText(entry->parameters);
    node.filterText = filterText(*entry);
}

QString StorageTreeModel::filterText(const core::IndexEntry& entry)
{
    return QString::fromStdString(core::query::entryFields(entry));
}

QVariant StorageTreeModel::data(const QModelIndex& index, int role) const
{
    Q_ASSERT(checkIndex(index, QAbstractItemModel::CheckIndexOption::IndexIsValid));
    const Node* node = nodeOf(index);
    const int column = index.column();
    if (node->level == NodeLevel::Variants && !node->children.empty()) {
        // A variants row reads as its first member (it charts as that trace), but for its own
        // level, count, badge and title.
        const bool own = role == Role::Level || role == Role::TraceCount || role == Role::IntegrityLevel
            || role == Role::IntegrityText || role == Role::GroupName
            || (role == Qt::DisplayRole && column == TreeColumn::Name);
        if (!own)
            return data(indexOf(node->children.front().get(), column), role);
        if (role == Role::GroupName || role == Qt::DisplayRole)
            return variantgroups::title(node->kind, node->children.size());
    }
    switch (role) {
    case Role::Level:
        return static_cast<int>(node->level);
    case Role::TraceKind:
        return static_cast<int>(node->kind);
    case Role::TraceCount:
        return node->level == NodeLevel::Trace ? 1 : node->traces;
    case Role::IntegrityLevel:
        return static_cast<int>(node->integrity);
    case Role::IntegrityText:
        return node->integrityText;
    case Role::Orphan:
        return node->orphan;
    case Role::FilePath:
        return node->level == NodeLevel::Trace ? qs(node->key) : QVariant();
    case Role::GroupName:
        if (node->level == NodeLevel::Kind)
            return node->kind == core::Kind::Signal ? tr("Signals") : tr("Classifiers");
        return node->level == NodeLevel::Type ? qs(node->key) : QVariant();
    case Role::TypeName:
        if (node->level == NodeLevel::Type)
            return qs(node->key);
        if (node->level != NodeLevel::Trace)
            return {};
        return qs((node->parent->level == NodeLevel::Type ? node->parent : node->parent->parent)->key);
    case Role::FilterText:
        describeTrace(*node);
        return node->filterText;
    case Role::ComparedFilterText:
        return m_extra && node->level == NodeLevel::Trace && node->entry && !node->orphan
                   ? m_extra->extraComparedFields(*node->entry)
                   : QString();
    default:
        break;
    }
    if (column >= TreeColumn::Count) {
        if (m_extra && node->level == NodeLevel::Trace && node->entry && !node->orphan)
            return m_extra->extraData(*node->entry, column - TreeColumn::Count, role);
        return role == Role::Sort ? QVariant(QString()) : QVariant();
    }
    if (role != Qt::DisplayRole && role != Role::Sort)
        return {};
    const bool sort = role == Role::Sort;

    if (node->level != NodeLevel::Trace) {
        switch (column) {
        case TreeColumn::Name: {
            const QString name = node->level == NodeLevel::Kind
                ? (node->kind == core::Kind::Signal ? tr("Signals") : tr("Classifiers"))
                : qs(node->key);
            if (sort)
                return name.toLower();
            return QStringLiteral("%1 (%2)").arg(name).arg(node->traces);
        }
        case TreeColumn::Changes:
            return sort ? QVariant(node->changes) : QVariant(QString::number(node->changes));
        default:
            return sort ? QVariant(QString()) : QVariant();
        }
    }

    const core::IndexEntry* entry = node->entry;
    switch (column) {
    case TreeColumn::Name: {
        QString name = qs(entry->name);
        if (entry->variant)
            name += QStringLiteral(" #%1").arg(*entry->variant);
        return sort ? QVariant(name.toLower()) : QVariant(name);
    }
    case TreeColumn::Symbol:
        return entry->symbol ? qs(*entry->symbol) : QString();
    case TreeColumn::Timeframe:
        return entry->timeframe ? qs(*entry->timeframe) : QString();
    case TreeColumn::Changes:
        if (node->orphan)
            return sort ? QVariant(qint64(-1)) : QVariant();
        return sort ? QVariant(qint64(entry->totalItems)) : QVariant(QString::number(entry->totalItems));
    case TreeColumn::Bars:
        if (node->orphan)
            return sort ? QVariant(qint64(-1)) : QVariant();
        return sort ? QVariant(qint64(effectiveBars(*entry))) : QVariant(QString::number(effectiveBars(*entry)));
    case TreeColumn::Parameters:
        describeTrace(*node);
        return sort ? QVariant(node->parameters.toLower()) : QVariant(node->parameters);
    default:
        return {};
    }
}

} // namespace sigscope::ui
