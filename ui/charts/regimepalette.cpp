#include "ui/charts/regimepalette.h"

#include <algorithm>
#include <set>

namespace sigscope::ui {

QString RegimePalette::classifierName(const core::Trace& classifier)
{
    return QString::fromStdString(classifier.type.empty() ? classifier.identity.name : classifier.type);
}

RegimePalette::RegimePalette(const std::vector<std::shared_ptr<const core::Trace>>& traces)
{
    std::set<std::pair<QString, QString>> keys;
    for (const auto& t : traces) {
        if (!t || t->kind() != core::Kind::Classifier)
            continue;
        const QString classifier = classifierName(*t);
        for (const auto& name : t->regimes())
            keys.emplace(classifier, QString::fromStdString(name));
    }
    m_keys.assign(keys.begin(), keys.end());
    std::vector<QString> names;
    names.reserve(m_keys.size());
    for (const auto& key : m_keys)
        names.push_back(key.second);
    m_colors = style::assignDistinctColors(names);
}

QColor RegimePalette::color(const QString& classifier, const QString& regime) const
{
    const std::pair<QString, QString> key(classifier, regime);
    const auto it = std::lower_bound(m_keys.begin(), m_keys.end(), key);
    if (it == m_keys.end() || *it != key)
        return style::distinctColor(style::preferredSlot(regime));
    return m_colors[static_cast<std::size_t>(it - m_keys.begin())];
}

std::vector<QColor> RegimePalette::colorsOf(const core::Trace& classifier) const
{
    const QString name = classifierName(classifier);
    std::vector<QColor> colors;
    colors.reserve(classifier.regimes().size());
    for (const auto& regime : classifier.regimes())
        colors.push_back(color(name, QString::fromStdString(regime)));
    return colors;
}

std::vector<style::LegendItem> RegimePalette::legend() const
{
    std::vector<style::LegendItem> items;
    items.reserve(m_keys.size());
    for (std::size_t i = 0; i < m_keys.size(); ++i)
        items.push_back({legendText(m_keys[i].first, m_keys[i].second), m_colors[i], false});
    return items;
}

QStringList RegimePalette::regimeNames() const
{
    std::set<QString> names;
    for (const auto& key : m_keys)
        names.insert(key.second);
    return QStringList(names.begin(), names.end());
}

QString RegimePalette::legendText(const QString& classifier, const QString& regime)
{
    return classifier.isEmpty() ? regime : classifier + QStringLiteral(": ") + regime;
}

} // namespace sigscope::ui
