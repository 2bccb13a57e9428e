#include "ui/mainwindow/storagepanel.h"

#include "ui/models/roles.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/tracefilterproxy.h"
#include "ui/models/treepresentation.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QLabel>
#include <QStyle>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QSet>
#include <QStringListModel>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include "core/query/filter.h"
#include "core/storage/storage.h"

#include <algorithm>
#include <array>
#include <vector>

namespace sigscope::ui {

namespace {
constexpr int kHistorySize = 20;
constexpr int kSuggestions = 8;

// Parameter names to try for a filter that matched nothing: those nearest to the keys the filter
// compares (the key as a prefix, then inside the name), then the others, in name order.
QStringList suggestParameters(const QString& filter, const std::vector<std::string>& names)
{
    std::vector<std::string> keys;
    for (const auto& alternative : core::query::Filter(filter.toStdString()).alternatives()) {
        for (const auto& token : alternative) {
            const core::query::Term term = core::query::parseTerm(token);
            if (term.op != core::query::Op::None)
                keys.push_back(term.key);
        }
    }
    std::vector<std::pair<int, std::string>> ranked;
    for (const std::string& name : names) {
        int rank = 3;
        for (const std::string& key : keys) {
            if (name == key)
                rank = std::min(rank, 0);
            else if (name.starts_with(key))
                rank = std::min(rank, 1);
            else if (name.find(key) != std::string::npos || (!name.empty() && key.find(name) != std::string::npos))
                rank = std::min(rank, 2);
        }
        ranked.emplace_back(rank, name);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QStringList out;
    for (const auto& [rank, name] : ranked)
        out << QString::fromStdString(name);
    return out;
}

// A row that charts a trace: the trace itself, or a group of identical variants (its first member).
bool chartsTrace(const QModelIndex& source)
{
    const int level = source.data(Role::Level).toInt();
    return level == int(NodeLevel::Trace) || level == int(NodeLevel::Variants);
}

// The rows from the top down to index: sorting by it is the view's order, at any depth.
std::vector<int> rowPath(QModelIndex index)
{
    std::vector<int> path;
    for (; index.isValid(); index = index.parent())
        path.push_back(index.row());
    std::reverse(path.begin(), path.end());
    return path;
}
} // namespace

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
    // The history pops up on Down only: a popup at every keystroke would cover the tree.
    m_completer = new QCompleter(m_history, this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setWidget(m_filter);
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this, [this](const QString& text) {
        m_filter->setText(text);
        rememberFilter();
    });
    m_filter->installEventFilter(this);
    m_filter->setToolTip(tr("Down: filters used before"));
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_filtering = true;
        m_proxy->setFilterText(text);
        m_filtering = false;
        expandForFilter();
        updateNoMatch();
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
    // Variants differ at the end of their names ("rsi_bands_grid_7_30_…"): keep both ends.
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->resizeSection(TreeColumn::Name, 230);
    m_view->header()->resizeSection(TreeColumn::Symbol, 60);
    m_view->header()->resizeSection(TreeColumn::Timeframe, 50);
    m_view->header()->resizeSection(TreeColumn::Changes, 70);
    m_view->header()->resizeSection(TreeColumn::Bars, 70);
    m_view->viewport()->installEventFilter(this);
    connect(m_view->header(), &QHeaderView::sectionResized, this, [this]() {
        if (!m_fitting)
            m_fittedName = 0; // the user's widths from now on
    });
    // Traces that join or leave a group of identical variants are new rows: keep them selected.
    connect(model, &StorageTreeModel::rowsMerging, this, [this]() { m_mergeSelection = selectedTracePaths(); });
    connect(model, &StorageTreeModel::rowsMerged, this, [this]() {
        const QStringList kept = std::exchange(m_mergeSelection, {});
        if (kept.isEmpty() || kept == selectedTracePaths())
            return;
        const QScopedValueRollback notTheUsers(m_filtering, true);
        selectPaths(kept);
    });
    connect(m_presentation, &QAbstractItemModel::modelReset, this, &StoragePanel::expandForFilter);
    connect(m_presentation, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& inserted) {
        // New types (a sweep adding a strategy family) open like the others.
        if (inserted.isValid() && !inserted.parent().isValid())
            m_view->expand(inserted);
    });

    // Shift-selecting a thousand rows emits a burst of changes: act once it settles.
    m_selectionDelay->setSingleShot(true);
    m_selectionDelay->setInterval(0);
    connect(m_selectionDelay, &QTimer::timeout, this, &StoragePanel::onSelectionSettled);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this]() {
        // Rows filtered away leave the selection while typing: that is not a choice of the user's.
        if (!m_filtering)
            m_userSelected = true;
        m_selectionDelay->start();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        const QModelIndex source = toSource(current);
        if (source.isValid() && chartsTrace(source))
            Q_EMIT currentTraceChanged(source.data(Role::FilePath).toString());
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);

    m_noMatch = new QLabel(m_view->viewport());
    m_noMatch->setObjectName(QStringLiteral("noMatchHint"));
    m_noMatch->setWordWrap(true);
    m_noMatch->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_noMatch->setMargin(8);
    m_noMatch->setForegroundRole(QPalette::PlaceholderText);
    auto* overlay = new QVBoxLayout(m_view->viewport());
    overlay->addWidget(m_noMatch);
    overlay->addStretch(1);
    m_noMatch->hide();
    connect(m_presentation, &QAbstractItemModel::modelReset, this, &StoragePanel::updateNoMatch);
    connect(m_presentation, &QAbstractItemModel::rowsInserted, this, &StoragePanel::updateNoMatch);
    connect(m_presentation, &QAbstractItemModel::rowsRemoved, this, &StoragePanel::updateNoMatch);
    expandForFilter();
}

namespace {
constexpr int kMinNameWidth = 160;
constexpr int kMaxNameWidth = 460;

// The texts of a column that may be its widest: a text's width grows with its length, so only the
// distinct texts within kSlack characters of the longest are measured, at most kKept of them
// (shaping every row's text took a third of opening 10,000 traces).
class LongestTexts
{
public:
    void add(const QString& text)
    {
        if (text.size() + kSlack < m_longest || m_texts.contains(text))
            return;
        if (text.size() > m_longest) {
            m_longest = text.size();
            m_texts.removeIf([this](const QString& t) { return t.size() + kSlack < m_longest; });
        } else if (m_texts.size() >= kKept) {
            return;
        }
        m_texts.insert(text);
    }
    [[nodiscard]] int widest(const QFontMetrics& metrics) const
    {
        int width = 0;
        for (const QString& text : m_texts)
            width = std::max(width, metrics.horizontalAdvance(text));
        return width;
    }

private:
    static constexpr qsizetype kSlack = 2;
    static constexpr qsizetype kKept = 256;
    qsizetype m_longest = 0;
    QSet<QString> m_texts;
};
} // namespace

void StoragePanel::fitColumns()
{
    constexpr qsizetype kMeasured = 5000; // rows measured at most: opening stays fast
    const QFontMetrics metrics(m_view->font());
    constexpr std::array kCounts{TreeColumn::Symbol, TreeColumn::Timeframe, TreeColumn::Changes};
    std::array<LongestTexts, kCounts.size()> longest;
    LongestTexts longestName;
    const auto collect = [&](const QModelIndex& index) {
        for (std::size_t k = 0; k < kCounts.size(); ++k)
            longest[k].add(index.siblingAtColumn(kCounts[k]).data().toString());
    };
    qsizetype measured = 0;
    for (const QModelIndex& index : m_model->traceIndexes({})) {
        longestName.add(index.data().toString());
        collect(index);
        if (++measured == kMeasured)
            break;
    }
    for (int row = 0; row < m_model->rowCount({}); ++row) // the kinds' totals: the largest counts
        collect(m_model->index(row, 0, {}));
    std::array<int, kCounts.size()> widest{};
    for (std::size_t k = 0; k < kCounts.size(); ++k)
        widest[k] = longest[k].widest(metrics);
    const int widestName = longestName.widest(metrics);
    // Symbol, timeframe and changes stay in view whole (a narrow window showed "185" for 1891
    // changes, "Timefra" for its header): the name is elided in the middle instead.
    QHeaderView* header = m_view->header();
    const QStyle* style = m_view->style();
    const int cellMargin = 2 * (style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1) + 6;
    const int headerMargin = 2 * style->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header) + 6;
    const QFontMetrics headerMetrics(header->font());
    const QScopedValueRollback fitting(m_fitting, true);
    for (std::size_t k = 0; k < kCounts.size(); ++k) {
        const int c = kCounts[k];
        // The header's own hint keeps room for a sort arrow in every column: only the sorted one gets it.
        int title = headerMetrics.horizontalAdvance(m_model->headerData(c, Qt::Horizontal).toString()) + headerMargin;
        if (header->isSortIndicatorShown() && header->sortIndicatorSection() == c)
            title += header->height();
        header->resizeSection(c, std::max(title, widest[k] + cellMargin));
    }
    // Trace rows sit below a kind and a type (and a group of identical variants), each indented,
    // after the branch and their icon.
    const int icon = style->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_view);
    const int depth = m_model->groupsVariants() ? 4 : 3;
    m_fittedName = std::clamp(widestName + depth * m_view->indentation() + icon + 24, kMinNameWidth, kMaxNameWidth);
    fitNameToRoom();
}

int StoragePanel::countColumnsWidth() const
{
    const QHeaderView* header = m_view->header();
    int width = 0;
    for (const int c : {TreeColumn::Symbol, TreeColumn::Timeframe, TreeColumn::Changes})
        if (!header->isSectionHidden(c))
            width += header->sectionSize(c);
    return width;
}

void StoragePanel::fitNameToRoom()
{
    // Until the user sizes a column, the name follows the panel's width (the window settles after
    // the storage opens).
    if (m_fittedName <= 0)
        return;
    const int room = m_view->viewport()->width() - countColumnsWidth();
    const QScopedValueRollback fitting(m_fitting, true);
    // A panel too narrow even for the shortest name column keeps the fitted width (and scrolls).
    m_view->header()->resizeSection(TreeColumn::Name, room > kMinNameWidth ? std::min(m_fittedName, room) : m_fittedName);
}

bool StoragePanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitNameToRoom();
    if (watched == m_view->viewport() && event->type() == QEvent::Paint)
        QMetaObject::invokeMethod(this, &StoragePanel::treePainted, Qt::QueuedConnection);
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Down && key->modifiers() == Qt::NoModifier && m_history->rowCount() > 0) {
            showFilterHistory();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void StoragePanel::showFilterHistory()
{
    m_completer->setCompletionPrefix(QString());
    m_completer->complete();
}

void StoragePanel::onSelectionSettled()
{
    // A selection the user made in a filtered tree means the filter was worth keeping.
    if (std::exchange(m_userSelected, false) && m_proxy->isFiltering() && !selectedTracePaths().isEmpty())
        rememberFilter();
    Q_EMIT selectionChanged();
}

void StoragePanel::updateNoMatch()
{
    const bool none = m_proxy->isFiltering() && m_model->traceCount() > 0 && m_presentation->rowCount() == 0;
    if (!none) {
        m_noMatch->hide();
        m_noMatch->clear();
        return;
    }
    std::vector<std::string> names;
    for (const QModelIndex& index : m_model->traceIndexes({})) {
        if (const core::IndexEntry* entry = m_model->entry(index)) {
            for (const auto& [key, value] : entry->parameters.entries())
                names.push_back(key);
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    QString text = tr("No trace matches \u201c%1\u201d.").arg(m_filter->text().simplified());
    if (!names.empty()) {
        QStringList suggested = suggestParameters(m_filter->text(), names);
        const bool more = suggested.size() > kSuggestions;
        suggested = suggested.mid(0, kSuggestions);
        text += QLatin1Char('\n') + tr("parameters: %1").arg(suggested.join(QStringLiteral(", ")))
            + (more ? QStringLiteral(", \u2026") : QString());
    }
    m_noMatch->setText(text);
    m_noMatch->show();
}

QString StoragePanel::noMatchText() const
{
    return m_noMatch->isHidden() ? QString() : m_noMatch->text();
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
    history = history.mid(0, kHistorySize);
    if (history == m_history->stringList())
        return;
    m_history->setStringList(history);
    Q_EMIT filterHistoryChanged();
}

QStringList StoragePanel::selectedTracePaths() const
{
    // Tree order, not click order: lanes follow the tree. Rows sort by their position path
    // (kind row, type row, [variants row,] trace row), so the cost is the selection's, not the
    // storage's. A variants row stands for its first member, once.
    std::vector<std::pair<std::vector<int>, QString>> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows(0);
    rows.reserve(static_cast<std::size_t>(selected.size()));
    for (const QModelIndex& row : selected) {
        const QModelIndex source = toSource(row);
        if (!chartsTrace(source) || source.data(Role::Orphan).toBool())
            continue;
        rows.push_back({rowPath(row), source.data(Role::FilePath).toString()});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QStringList paths;
    paths.reserve(static_cast<qsizetype>(rows.size()));
    QSet<QString> seen;
    seen.reserve(static_cast<qsizetype>(rows.size()));
    for (auto& row : rows) {
        if (seen.contains(row.second))
            continue;
        seen.insert(row.second);
        paths << std::move(row.second);
    }
    return paths;
}

QModelIndex StoragePanel::selectedGroup() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows(0);
    if (rows.size() != 1)
        return {};
    const QModelIndex source = toSource(rows.front());
    return chartsTrace(source) ? QModelIndex() : source;
}

QString StoragePanel::currentTracePath() const
{
    const QModelIndex current = toSource(m_view->currentIndex());
    if (current.isValid() && chartsTrace(current)
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
