#pragma once

#include <QModelIndex>
#include <QStringList>
#include <QWidget>

class QCompleter;
class QLabel;
class QLineEdit;
class QStringListModel;
class QTimer;
class QTreeView;

namespace sigscope::ui {

class StorageTreeModel;
class TraceFilterProxy;
class TreePresentationModel;

// Left side of the window: the filter box (with history) over the storage tree.
class StoragePanel : public QWidget
{
    Q_OBJECT
public:
    explicit StoragePanel(StorageTreeModel* model, QWidget* parent = nullptr);

    [[nodiscard]] QTreeView* view() const { return m_view; }
    [[nodiscard]] QLineEdit* filterEdit() const { return m_filter; }
    [[nodiscard]] TraceFilterProxy* proxy() const { return m_proxy; }

    void setFilterText(const QString& text);
    void focusFilter();
    [[nodiscard]] QStringList filterHistory() const;
    void setFilterHistory(const QStringList& history);
    void rememberFilter(); // puts the current filter text on top of the history
    void showFilterHistory(); // the history popup (Down in the filter box); never while typing
    [[nodiscard]] QCompleter* historyCompleter() const { return m_completer; }
    // "No trace matches …" with parameter names to try, shown over the tree; empty when hidden.
    [[nodiscard]] QString noMatchText() const;
    // Called when a storage opens: symbol, timeframe and changes as wide as their header and widest
    // value, the Name column as wide as its longest name within what is left (and limits).
    void fitColumns();

    // Paths (relative to the root) of the selected traces, in view order.
    [[nodiscard]] QStringList selectedTracePaths() const;
    // The type or kind row when the selection is exactly one group (source model index).
    [[nodiscard]] QModelIndex selectedGroup() const;
    // The current row when it is a trace, else the first selected trace.
    [[nodiscard]] QString currentTracePath() const;
    // Every trace the filter lets through, in view order.
    [[nodiscard]] QStringList visibleTracePaths() const;
    // Selects exactly these traces (the first becomes current) and scrolls to it.
    void selectPaths(const QStringList& paths);
    void selectGroup(const QModelIndex& sourceIndex);
    // A selection change waits for the end of the event burst before selectionChanged().
    [[nodiscard]] bool isSelectionPending() const;

Q_SIGNALS:
    void selectionChanged();
    void currentTraceChanged(const QString& path);
    void filterHistoryChanged();
    void treePainted(); // after each paint of the tree (queued: once the paint has finished)

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void expandForFilter();
    void updateNoMatch();
    void onSelectionSettled();
    [[nodiscard]] int countColumnsWidth() const;
    void fitNameToRoom();
    [[nodiscard]] QModelIndex toSource(const QModelIndex& viewIndex) const;
    [[nodiscard]] QModelIndex fromSource(const QModelIndex& sourceIndex) const;

    StorageTreeModel* m_model = nullptr;
    TraceFilterProxy* m_proxy = nullptr;
    TreePresentationModel* m_presentation = nullptr;
    QLineEdit* m_filter = nullptr;
    QTreeView* m_view = nullptr;
    QStringListModel* m_history = nullptr;
    QTimer* m_selectionDelay = nullptr;
    QCompleter* m_completer = nullptr;
    QLabel* m_noMatch = nullptr;
    int m_fittedName = 0;         // the Name column's fitted width while it follows the panel, else 0
    bool m_fitting = false;       // inside fitColumns(): section resizes are not the user's
    bool m_filtering = false;     // inside a filter change: selection changes are its, not the user's
    bool m_userSelected = false;  // the pending selection change was made by the user
    QStringList m_mergeSelection; // selected traces while the model merges rows (variants regroup)
};

} // namespace sigscope::ui
