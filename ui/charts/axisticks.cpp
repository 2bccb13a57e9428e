#include "ui/charts/axisticks.h"

#include <QDateTime>

#include <array>
#include <cmath>

namespace sigscope::ui {

namespace {

double niceStep(double rawStep)
{
    if (!(rawStep > 0) || !std::isfinite(rawStep))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rawStep)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= rawStep * (1 - 1e-9))
            return m * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

QString numberLabel(double value, double step)
{
    int decimals = 0;
    if (step < 1)
        decimals = std::min(6, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    if (std::abs(value) < step * 1e-6)
        value = 0; // no "-0"
    return QString::number(value, 'f', decimals);
}

std::vector<Tick> numberTicks(double lo, double hi, int maxTicks)
{
    std::vector<Tick> ticks;
    if (!(hi > lo) || maxTicks < 1)
        return ticks;
    const double step = niceStep((hi - lo) / maxTicks);
    for (double k = std::ceil(lo / step); k * step <= hi; k += 1) {
        const double v = k * step;
        ticks.push_back({v, numberLabel(v, step)});
    }
    return ticks;
}

std::vector<Tick> timeTicks(double lo, double hi, int maxTicks, const QTimeZone& zone)
{
    std::vector<Tick> ticks;
    if (!(hi > lo) || maxTicks < 1)
        return ticks;
    constexpr qint64 minute = 60, hour = 3600, day = 86400;
    // Sub-day steps are aligned to local midnight; months and years walk the calendar.
    static constexpr std::array<qint64, 15> steps{minute,     2 * minute, 5 * minute, 10 * minute, 15 * minute,
                                                  30 * minute, hour,      2 * hour,   3 * hour,    6 * hour,
                                                  12 * hour,   day,       2 * day,    7 * day,     14 * day};
    const double raw = (hi - lo) / maxTicks;
    if (raw < minute) {
        // Seconds and their fractions, down to milliseconds.
        static constexpr std::array<double, 15> small{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2,
                                                      0.5,   1,     2,     5,    10,   15,   30};
        const double step = *std::find_if(small.begin(), small.end(), [&](double s) { return s >= raw * (1 - 1e-6) || s == 30; });
        const QString format = step < 1 ? QStringLiteral("HH:mm:ss.zzz") : QStringLiteral("HH:mm:ss");
        // In whole milliseconds, so that 11:28:25.100 is not lost to rounding of lo / step.
        const auto stepMs = static_cast<qint64>(std::llround(step * 1000));
        const double slack = 1e-3; // of a millisecond
        for (auto ms = static_cast<qint64>(std::ceil(lo * 1000 / static_cast<double>(stepMs) - slack)) * stepMs;
             static_cast<double>(ms) <= hi * 1000 + slack; ms += stepMs)
            ticks.push_back({static_cast<double>(ms) / 1000, QDateTime::fromMSecsSinceEpoch(ms, zone).toString(format)});
        return ticks;
    }
    const auto startLocal = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(std::floor(lo)), zone);
    for (const qint64 step : steps) {
        if (step < raw)
            continue;
        const QString format = step < day ? QStringLiteral("HH:mm") : QStringLiteral("MMM d");
        QDateTime t(startLocal.date(), QTime(0, 0), zone);
        if (step == 7 * day || step == 14 * day)
            t = t.addDays(1 - t.date().dayOfWeek()); // Mondays
        QDate lastDate;
        int guard = 0;
        while (t.toSecsSinceEpoch() <= hi && ++guard < 10000) {
            const double v = static_cast<double>(t.toSecsSinceEpoch());
            if (v >= lo) {
                // A sub-day tick that starts a new day names the day instead of the hour.
                QString label = t.toString(format);
                if (step < day && lastDate.isValid() && t.date() != lastDate)
                    label = t.toString(QStringLiteral("MMM d"));
                lastDate = t.date();
                ticks.push_back({v, label});
            }
            t = step < day ? t.addSecs(step) : t.addDays(step / day);
        }
        return ticks;
    }
    // Months (1, 3, 6) and years (1, 2, 5, 10, ...).
    const double months = raw / (30.44 * day);
    int monthStep = months <= 1 ? 1 : months <= 3 ? 3 : months <= 6 ? 6 : 12;
    if (monthStep == 12)
        monthStep = 12 * static_cast<int>(niceStep(months / 12));
    QDate d(startLocal.date().year(), 1, 1);
    int guard = 0;
    while (++guard < 10000) {
        const QDateTime t(d, QTime(0, 0), zone);
        const double v = static_cast<double>(t.toSecsSinceEpoch());
        if (v > hi)
            break;
        if (v >= lo)
            ticks.push_back({v, monthStep < 12 ? t.toString(QStringLiteral("MMM yyyy")) : t.toString(QStringLiteral("yyyy"))});
        d = d.addMonths(monthStep);
    }
    return ticks;
}

QString preciseTimeText(const QDateTime& time)
{
    const qint64 ms = time.toMSecsSinceEpoch();
    if (ms % 1000 != 0)
        return time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    if (ms % 60000 != 0)
        return time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    return time.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace sigscope::ui
