#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <vector>

// Tick positions for chart axes: "nice" numbers (1, 2, 5 x 10^k) for bars and prices, calendar
// steps (minutes to years) for times, with labels.
namespace sigscope::ui {

struct Tick
{
    double value = 0; // axis coordinate: bar, price, or seconds since the epoch
    QString label;
};

// Ticks inside [lo, hi] spaced by a nice step at least minStep apart (minStep = range / maxTicks).
std::vector<Tick> numberTicks(double lo, double hi, int maxTicks);
// Ticks at calendar steps in `zone`; lo/hi in seconds since the epoch (UTC).
std::vector<Tick> timeTicks(double lo, double hi, int maxTicks, const QTimeZone& zone);

// "yyyy-MM-dd HH:mm", with ":ss" when the time is not on a whole minute and ".zzz" when it is
// not on a whole second (upstream recorded changes milliseconds apart).
QString preciseTimeText(const QDateTime& time);

// "1,234,567"-free compact text for a bar index or price with the given step.
QString numberLabel(double value, double step);

} // namespace sigscope::ui
