#pragma once

#include <QIdentityProxyModel>
#include <QIcon>

namespace sigscope::ui {

// Look of the storage tree (icons, integrity badges, tooltips, colours, alignment) as a thin
// wrapper, so the data model stays free of presentation.
class TreePresentationModel : public QIdentityProxyModel
{
    Q_OBJECT
public:
    explicit TreePresentationModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    QIcon m_groupIcon;
    QIcon m_signalIcon;
    QIcon m_classifierIcon;
    QIcon m_signalVariantsIcon;
    QIcon m_classifierVariantsIcon;
    QIcon m_warningIcon;
    QIcon m_errorIcon;
};

} // namespace sigscope::ui
