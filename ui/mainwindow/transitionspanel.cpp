#include "ui/mainwindow/transitionspanel.h"

#include "ui/models/roles.h"
#include "ui/models/transitionsmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace sigscope::ui {

TransitionsPanel::TransitionsPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new TransitionsModel(this))
    , m_view(new QTableView(this))
    , m_title(new QLabel(this))
{
    m_view->setObjectName(QStringLiteral("transitionsView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    // Fixed row heights: the view never measures a million rows.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(TransitionsColumn::Time, 150);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (!m_following && current.isValid())
            Q_EMIT barActivated(m_model->barAt(current.row()));
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_view);
    setTrace(nullptr, {});
}

void TransitionsPanel::setTrace(std::shared_ptr<const core::Trace> trace, const QString& label)
{
    const qsizetype changes = trace ? qsizetype(trace->size()) : 0;
    if (trace != m_model->trace()) {
        m_model->setTrace(std::move(trace));
        fitTimeColumn();
    }
    m_title->setText(label.isEmpty() ? tr("No trace") : tr("%1 \u2014 %n change(s)", nullptr, int(changes)).arg(label));
}

void TransitionsPanel::fitTimeColumn()
{
    // Sized to the widest time text of up to ~1000 rows spread over the trace (never a million
    // measurements), so that milliseconds stay readable.
    const QFontMetrics fm(m_view->font());
    const int margin = 2 * m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 12;
    int width = m_view->horizontalHeader()->sectionSizeHint(TransitionsColumn::Time);
    const int rows = m_model->rowCount();
    const int stride = std::max(1, rows / 1000);
    for (int row = 0; row < rows; row += stride) {
        const QString text = m_model->index(row, TransitionsColumn::Time).data().toString();
        width = std::max(width, fm.horizontalAdvance(text) + margin);
    }
    if (rows > 0) {
        const QString last = m_model->index(rows - 1, TransitionsColumn::Time).data().toString();
        width = std::max(width, fm.horizontalAdvance(last) + margin);
    }
    m_view->horizontalHeader()->resizeSection(TransitionsColumn::Time, std::min(width, 320));
}

void TransitionsPanel::showBar(qint64 bar)
{
    const int row = m_model->rowForBar(bar);
    if (row < 0)
        return;
    m_following = true;
    m_view->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(m_model->index(row, 0));
    m_following = false;
}

} // namespace sigscope::ui
