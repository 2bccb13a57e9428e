#include "ui/mainwindow/storagepanel.h"

#include "ui/models/roles.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/tracefilterproxy.h"
#include "ui/models/treepresentation.h"

#include <QCompleter>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QStringListModel>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <vector>

namespace sigscope::ui {

namespace {
constexpr int kHistorySize = 20;
}

StoragePanel::StoragePanel(StorageTreeModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new TraceFilterProxy(this))
    , m_presentation(new TreePresentationModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_history(new QStringListModel(this))
    , m_selectionDelay(new QTimer(this))
{
    m_proxy->setSourceModel(model);
    m_presentation->setSourceModel(m_proxy);

    m_filter->setPlaceholderText(tr("Filter, e.g. rsi 14 or fast_period>=10"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    auto* completer = new QCompleter(m_history, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_filter->setCompleter(completer);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterText(text);
        expandForFilter();
    });
    connect(m_filter, &QLineEdit::returnPressed, this, &StoragePanel::rememberFilter);

    m_view->setObjectName(QStringLiteral("storageTree"));
    m_view->setModel(m_presentation);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setUniformRowHeights(true); // 10,000 rows stay cheap to lay out
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // index order until the user picks a column
    m_view->setAlternatingRowColors(true);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->resizeSection(TreeColumn::Name, 230);
    m_view->header()->resizeSection(TreeColumn::Symbol, 60);
    m_view->header()->resizeSection(TreeColumn::Timeframe, 50);
    m_view->header()->resizeSection(TreeColumn::Changes, 70);
    m_view->header()->resizeSection(TreeColumn::Bars, 70);
    connect(m_presentation, &QAbstractItemModel::modelReset, this, &StoragePanel::expandForFilter);
    connect(m_presentation, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& inserted) {
        // New types (a sweep adding a strategy family) open like the others.
        if (inserted.isValid() && !inserted.parent().isValid())
            m_view->expand(inserted);
    });

    // Shift-selecting a thousand rows emits a burst of changes: act once it settles.
    m_selectionDelay->setSingleShot(true);
    m_selectionDelay->setInterval(0);
    connect(m_selectionDelay, &QTimer::timeout, this, &StoragePanel::selectionChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this]() { m_selectionDelay->start(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        const QModelIndex source = toSource(current);
        if (source.isValid() && source.data(Role::Level).toInt() == int(NodeLevel::Trace))
            Q_EMIT currentTraceChanged(source.data(Role::FilePath).toString());
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);
    expandForFilter();
}

QModelIndex StoragePanel::toSource(const QModelIndex& viewIndex) const
{
    return m_proxy->mapToSource(m_presentation->mapToSource(viewIndex));
}

QModelIndex StoragePanel::fromSource(const QModelIndex& sourceIndex) const
{
    return m_presentation->mapFromSource(m_proxy->mapFromSource(sourceIndex));
}

void StoragePanel::expandForFilter()
{
    // Filtering shows the matching traces; otherwise kinds open onto their types.
    if (m_proxy->isFiltering())
        m_view->expandToDepth(1);
    else
        m_view->expandToDepth(0);
}

void StoragePanel::setFilterText(const QString& text)
{
    m_filter->setText(text);
}

void StoragePanel::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

QStringList StoragePanel::filterHistory() const
{
    return m_history->stringList();
}

void StoragePanel::setFilterHistory(const QStringList& history)
{
    m_history->setStringList(history.mid(0, kHistorySize));
}

void StoragePanel::rememberFilter()
{
    const QString text = m_filter->text().simplified();
    if (text.isEmpty())
        return;
    QStringList history = m_history->stringList();
    history.removeAll(text);
    history.prepend(text);
    m_history->setStringList(history.mid(0, kHistorySize));
}

QStringList StoragePanel::selectedTracePaths() const
{
    // Tree order, not click order: lanes follow the tree. Rows sort by their position path
    // (kind row, type row, trace row), so the cost is the selection's, not the storage's.
    std::vector<std::pair<std::array<int, 3>, QString>> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows(0);
    rows.reserve(static_cast<std::size_t>(selected.size()));
    for (const QModelIndex& row : selected) {
        const QModelIndex source = toSource(row);
        if (source.data(Role::Level).toInt() != int(NodeLevel::Trace) || source.data(Role::Orphan).toBool())
            continue;
        rows.push_back({{row.parent().parent().row(), row.parent().row(), row.row()}, source.data(Role::FilePath).toString()});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QStringList paths;
    paths.reserve(static_cast<qsizetype>(rows.size()));
    for (auto& row : rows)
        paths << std::move(row.second);
    return paths;
}

QModelIndex StoragePanel::selectedGroup() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows(0);
    if (rows.size() != 1)
        return {};
    const QModelIndex source = toSource(rows.front());
    return source.data(Role::Level).toInt() == int(NodeLevel::Trace) ? QModelIndex() : source;
}

QString StoragePanel::currentTracePath() const
{
    const QModelIndex current = toSource(m_view->currentIndex());
    if (current.isValid() && current.data(Role::Level).toInt() == int(NodeLevel::Trace)
        && m_view->selectionModel()->isRowSelected(m_view->currentIndex().row(), m_view->currentIndex().parent()))
        return current.data(Role::FilePath).toString();
    const QStringList selected = selectedTracePaths();
    return selected.isEmpty() ? QString() : selected.front();
}

QStringList StoragePanel::visibleTracePaths() const
{
    QStringList paths;
    const auto collect = [&](const auto& self, const QModelIndex& parent) -> void {
        for (int row = 0; row < m_presentation->rowCount(parent); ++row) {
            const QModelIndex index = m_presentation->index(row, 0, parent);
            if (index.data(Role::Level).toInt() == int(NodeLevel::Trace)) {
                if (!index.data(Role::Orphan).toBool())
                    paths << index.data(Role::FilePath).toString();
            } else {
                self(self, index);
            }
        }
    };
    collect(collect, {});
    return paths;
}

void StoragePanel::selectPaths(const QStringList& paths)
{
    QItemSelection selection;
    QModelIndex first;
    for (const QString& path : paths) {
        const QModelIndex index = fromSource(m_model->indexForPath(path));
        if (!index.isValid())
            continue;
        if (!first.isValid())
            first = index;
        selection.select(index, index);
    }
    auto* selectionModel = m_view->selectionModel();
    if (first.isValid())
        selectionModel->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (first.isValid())
        m_view->scrollTo(first);
}

bool StoragePanel::isSelectionPending() const
{
    return m_selectionDelay->isActive();
}

void StoragePanel::selectGroup(const QModelIndex& sourceIndex)
{
    const QModelIndex index = fromSource(sourceIndex);
    if (!index.isValid())
        return;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

} // namespace sigscope::ui
