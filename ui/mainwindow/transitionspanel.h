#pragma once

#include "core/model/trace.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTableView;

namespace sigscope::ui {

class TransitionsModel;

// The changes of the current trace; picking a row asks the chart to centre on that bar.
class TransitionsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TransitionsPanel(QWidget* parent = nullptr);

    void setTrace(std::shared_ptr<const core::Trace> trace, const QString& label);
    // Follows the chart cursor: selects the change in force at bar without emitting barActivated.
    void showBar(qint64 bar);

    [[nodiscard]] TransitionsModel* model() const { return m_model; }
    [[nodiscard]] QTableView* view() const { return m_view; }

Q_SIGNALS:
    void barActivated(qint64 bar);

private:
    void fitTimeColumn();

    TransitionsModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_title = nullptr;
    bool m_following = false;
};

} // namespace sigscope::ui
