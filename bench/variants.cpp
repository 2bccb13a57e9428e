// Identical variants (issue 14): grouping 100,000 index entries by their changes hash, from the
// index alone (what the tree does: core::variants::groupByHash) and with every candidate
// confirmed by comparing the changes (what `sigscope info` and `metrics` do:
// core::variants::findGroups, traces held in memory so that the figure is the rule's, not the
// disk's). Baseline in the same run: a plain std::sort of the 100,000 hash strings. Target
// <= 1 s on 2 cores.
#include "bench/support/bench.h"
#include "core/analysis/variants.h"
#include "core/model/identity.h"
#include "core/model/trace.h"

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

using namespace sigscope;

namespace {

constexpr std::size_t kEntries = 100'000;
constexpr std::size_t kTypes = 100;        // 1,000 entries per type folder
constexpr std::size_t kSignals = 50'000;   // distinct change lists: many variants repeat one
constexpr std::size_t kChanges = 20;       // per trace

// The change list of signal s: seeded, 20 changes, positions -1/0/+1.
core::Trace traceOf(std::size_t signal, const std::string& type, const std::string& name)
{
    core::Trace trace(core::TraceIdentity{core::Kind::Signal, name, {}, "SPY", "1m", std::string("r1"), {}}, type);
    std::mt19937_64 rng(signal);
    std::int64_t bar = 0;
    std::int32_t value = 0;
    for (std::size_t i = 0; i < kChanges; ++i) {
        bar += static_cast<std::int64_t>(1 + rng() % 30);
        value = (value + 2 + static_cast<std::int32_t>(rng() % 2)) % 3;
        trace.appendSignal(bar, "", value - 1, 100.0 + double(i));
    }
    return trace;
}

} // namespace

int main(int, char**)
{
    // Entry i of type t repeats signal (t * 997 + zipf-ish draw) % kSignals: half the entries share
    // their change list with at least one other of their type.
    std::mt19937_64 rng(14);
    std::vector<core::IndexEntry> entries(kEntries);
    std::vector<std::size_t> signalOf(kEntries);
    std::unordered_map<std::size_t, std::string> hashOfSignal;
    for (std::size_t i = 0; i < kEntries; ++i) {
        core::IndexEntry& e = entries[i];
        const std::size_t t = i % kTypes;
        e.type = "grid_" + std::to_string(t);
        e.name = e.type + "_" + std::to_string(i / kTypes);
        e.filePath = "signals/" + e.type + "/" + e.name + "_" + core::hex16(rng()).substr(0, 8) + ".json";
        const std::size_t perType = kSignals / kTypes;
        const std::size_t local = (rng() % 2 == 0) ? i / kTypes % perType : rng() % (perType / 10);
        signalOf[i] = t * perType + local;
    }
    bench::note("building " + std::to_string(kEntries) + " index entries and the traces behind them ...");
    std::vector<std::shared_ptr<const core::Trace>> traces(kEntries);
    for (std::size_t i = 0; i < kEntries; ++i) {
        traces[i] = std::make_shared<const core::Trace>(traceOf(signalOf[i], entries[i].type, entries[i].name));
        auto [it, inserted] = hashOfSignal.try_emplace(signalOf[i]);
        if (inserted)
            it->second = core::hex16(core::changesHash(*traces[i]));
        entries[i].changesHash = it->second;
    }
    std::vector<const core::IndexEntry*> pointers;
    pointers.reserve(kEntries);
    for (const auto& e : entries)
        pointers.push_back(&e);
    std::unordered_map<const core::IndexEntry*, std::size_t> position;
    for (std::size_t i = 0; i < kEntries; ++i)
        position.emplace(&entries[i], i);
    const core::variants::TraceLoader load = [&](const core::IndexEntry& e) { return traces[position.at(&e)]; };

    std::size_t groups = 0;
    std::size_t grouped = 0;
    const double hashMs = bench::bestMs(5, [&] {
        const auto result = core::variants::groupByHash(pointers);
        groups = result.size();
    });
    core::variants::Result confirmed;
    const double confirmMs = bench::bestMs(3, [&] { confirmed = core::variants::findGroups(pointers, load); });
    for (const auto& g : confirmed.groups)
        grouped += g.members.size();
    std::vector<std::string> hashes;
    const double sortMs = bench::bestMs(5, [&] {
        hashes.clear();
        hashes.reserve(kEntries);
        for (const auto& e : entries)
            hashes.push_back(e.changesHash);
        std::sort(hashes.begin(), hashes.end());
    });
    bench::note(std::to_string(groups) + " groups from the index, " + std::to_string(confirmed.groups.size()) +
                " confirmed holding " + std::to_string(grouped) + " traces, " + std::to_string(confirmed.compared) +
                " traces compared, " + std::to_string(confirmed.collisions) + " collisions");
    if (groups != confirmed.groups.size() || confirmed.collisions != 0) {
        bench::note("the index groups and the confirmed groups differ: the figures mean nothing");
        return 1;
    }
    bench::figure("variants_group_by_hash_100k", hashMs, "ms");
    bench::figure("variants_find_groups_confirmed_100k", confirmMs, "ms");
    bench::figure("variants_baseline_sort_hashes_100k", sortMs, "ms");
    bench::ratio("variants_group_by_hash_vs_sort", hashMs / sortMs);
    bench::ratio("variants_confirmed_vs_sort", confirmMs / sortMs);
    return 0;
}
