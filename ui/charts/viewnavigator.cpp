#include "ui/charts/viewnavigator.h"

#include <utility>

namespace sigscope::ui {

ViewNavigator::ViewNavigator(ViewGetter view, ViewSetter apply, QObject* parent)
    : QObject(parent)
    , m_view(std::move(view))
    , m_apply(std::move(apply))
{
    m_history.reset(m_view());
    m_burstPause.setSingleShot(true);
    m_burstPause.setInterval(kBurstPauseMs);
    connect(&m_burstPause, &QTimer::timeout, this, &ViewNavigator::commit);
}

void ViewNavigator::reset()
{
    m_burstPause.stop();
    m_history.reset(m_view());
    Q_EMIT historyChanged();
}

void ViewNavigator::commit()
{
    m_burstPause.stop();
    if (m_history.commit(m_view()))
        Q_EMIT historyChanged();
}

void ViewNavigator::step(BarRange range)
{
    commit(); // a burst still in progress is a step of its own
    m_apply(range);
    commit();
}

void ViewNavigator::burstMoved()
{
    m_burstPause.start();
    Q_EMIT historyChanged();
}

void ViewNavigator::follow(BarRange range)
{
    const BarRange before = m_view();
    m_apply(range);
    if (!(before == m_view()))
        burstMoved();
}

void ViewNavigator::goBack()
{
    commit(); // so that Back returns to where an unfinished gesture began
    show(m_history.back());
}

void ViewNavigator::goForward()
{
    commit();
    show(m_history.forward());
}

void ViewNavigator::show(std::optional<BarRange> state)
{
    if (!state)
        return;
    m_apply(*state);
    Q_EMIT historyChanged();
}

bool ViewNavigator::canGoBack() const
{
    return m_history.canGoBackFrom(m_view());
}

bool ViewNavigator::canGoForward() const
{
    return m_history.canGoForwardFrom(m_view());
}

} // namespace sigscope::ui
