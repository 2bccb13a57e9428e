#pragma once

#include "core/model/trace.h"
#include "ui/charts/chartstyle.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <memory>
#include <utility>
#include <vector>

namespace sigscope::ui {

// The colours of every regime one picture shows, assigned together so that no two regimes on
// screen share a colour (style::assignDistinctColors). A regime is a (classifier name, regime
// name) pair: "high" of a volatility classifier and "high" of a trend classifier are different
// regimes. The classifier is the trace's type (its folder, e.g. "volatility"), else its name:
// variants of one classifier (volatility_regime_30, volatility_regime_120) share their colours
// and legend entries. Each regime name prefers the same slot in every chart, so colours stay put while
// the regimes shown do not collide.
class RegimePalette
{
public:
    RegimePalette() = default;
    // The classifier traces among `traces` (other kinds are skipped).
    explicit RegimePalette(const std::vector<std::shared_ptr<const core::Trace>>& traces);

    [[nodiscard]] QColor color(const QString& classifier, const QString& regime) const;
    // Colours by regime id of `classifier` (its regimes() order).
    [[nodiscard]] std::vector<QColor> colorsOf(const core::Trace& classifier) const;
    // "classifier: regime" with its colour, sorted by classifier then regime.
    [[nodiscard]] std::vector<style::LegendItem> legend() const;
    [[nodiscard]] QStringList regimeNames() const; // distinct regime names, sorted
    [[nodiscard]] bool empty() const { return m_keys.empty(); }

    static QString classifierName(const core::Trace& classifier);
    static QString legendText(const QString& classifier, const QString& regime);

private:
    std::vector<std::pair<QString, QString>> m_keys; // sorted (classifier, regime)
    std::vector<QColor> m_colors;                    // per key
};

} // namespace sigscope::ui
