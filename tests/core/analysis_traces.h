#pragma once

// Hand-made traces shared by the analysis tests (tst_steps, tst_stats, tst_reduce). Their
// per-bar values are written out beside each one so expected figures can be checked by hand.
#include "core/model/trace.h"

namespace sigscope::test {

// totalBars 20, held per bar:
//   bar  0 1 2 | 3 4 5 6 | 7 8 9 | 10 11 | 12 13 14 | 15 16 17 18 19
//   val  0 0 0 | 1 1 1 1 | 0 0 0 | -1 -1 |  1  1  1 |  0  0  0  0  0
// Bar 7 carries two changes (-1 then 0): only the last holds.
inline core::Trace handSignal()
{
    using namespace sigscope::core;
    Trace t(TraceIdentity{Kind::Signal, "hand", {}, "SPY", "1m", {}, {}}, "hand");
    t.metadata.totalBars = 20;
    t.appendSignal(3, "2024-01-02T09:33:00", 1);
    t.appendSignal(7, "2024-01-02T09:37:00", -1);
    t.appendSignal(7, "2024-01-02T09:37:00", 0);
    t.appendSignal(10, "2024-01-02T09:40:00", -1);
    t.appendSignal(12, "2024-01-02T09:42:00", 1);
    t.appendSignal(15, "2024-01-02T09:45:00", 0);
    return t;
}

// totalBars 20, regimes calm=0 squeeze=1 volatile=2 trend=3, held per bar:
//   bar  0 1 2 3 | 4..8 | 9..13    | 14..16 | 17..19
//   val  ? ? ? ? | calm | volatile | trend  | calm
// squeeze (bar 9) and calm (bar 14) are superseded on their bar and hold zero bars.
inline core::Trace handClassifier()
{
    using namespace sigscope::core;
    Trace t(TraceIdentity{Kind::Classifier, "vol", {}, "SPY", "1m", {}, {}}, "vol");
    t.metadata.totalBars = 20;
    t.appendRegime(4, "", "calm");
    t.appendRegime(9, "", "squeeze");
    t.appendRegime(9, "", "volatile");
    t.appendRegime(14, "", "calm");
    t.appendRegime(14, "", "trend");
    t.appendRegime(17, "", "calm");
    return t;
}

inline core::Trace emptyTrace(core::Kind kind, std::int64_t totalBars)
{
    core::Trace t(core::TraceIdentity{kind, "empty", {}, {}, {}, {}, {}});
    t.metadata.totalBars = totalBars;
    return t;
}

} // namespace sigscope::test
