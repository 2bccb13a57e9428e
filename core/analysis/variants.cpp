#include "core/analysis/variants.h"

#include "core/query/lanes.h"

#include <algorithm>
#include <utility>

namespace sigscope::core::variants {

namespace {

using HashOf = std::function<const std::string&(const IndexEntry&)>;

// Candidate groups of entries (sorted into the tree's order here) by kind, type and hash.
std::vector<Group> candidates(std::vector<const IndexEntry*> entries, const HashOf& hashOf)
{
    const auto treeOrder = [](const IndexEntry* a, const IndexEntry* b) { return query::treeOrderLess(*a, *b); };
    // The tree hands them over in its order already: one pass instead of a sort of 100,000.
    if (!std::is_sorted(entries.begin(), entries.end(), treeOrder))
        std::stable_sort(entries.begin(), entries.end(), treeOrder);
    std::unordered_map<std::string, std::size_t> byKey; // "<kind>\n<type>\n<hash>" -> candidate
    byKey.reserve(entries.size());
    std::vector<Group> all;
    std::string key;
    for (const IndexEntry* e : entries) {
        const std::string& hash = hashOf(*e);
        if (hash.empty())
            continue;
        key.assign(kindName(e->kind));
        key.push_back('\n');
        key += e->type;
        key.push_back('\n');
        key += hash;
        const auto [it, inserted] = byKey.try_emplace(key, all.size());
        if (inserted)
            all.push_back(Group{{}, hash});
        all[it->second].members.push_back(e);
    }
    std::vector<Group> groups;
    for (auto& g : all)
        if (g.members.size() >= 2)
            groups.push_back(std::move(g));
    return groups;
}

Finding unreadable(const IndexEntry& entry, const StorageError& error)
{
    Finding f;
    f.severity = Finding::Severity::Error;
    f.code = "parse-error";
    f.path = entry.filePath;
    f.line = error.line();
    f.message = error.reason() + " (left out of the identical variants)";
    return f;
}

} // namespace

std::vector<Group> groupByHash(std::vector<const IndexEntry*> entries)
{
    return candidates(std::move(entries), [](const IndexEntry& e) -> const std::string& { return e.changesHash; });
}

Result findGroups(std::vector<const IndexEntry*> entries, const TraceLoader& load, const ProgressCallback& progress)
{
    Result result;
    Progress p;
    const auto step = [&](const IndexEntry& e) {
        ++p.done;
        p.current = e.filePath;
        if (progress && !progress(p))
            result.cancelled = true;
        return !result.cancelled;
    };
    // Entries the index gives no hash: hashed from their files.
    std::unordered_map<const IndexEntry*, std::string> computed;
    for (const IndexEntry* e : entries)
        p.total += e->changesHash.empty() ? 1 : 0;
    for (const IndexEntry* e : entries) {
        if (!e->changesHash.empty())
            continue;
        try {
            computed[e] = hex16(changesHash(*load(*e)));
            ++result.hashed;
        } catch (const StorageError& error) {
            result.findings.push_back(unreadable(*e, error));
        }
        if (!step(*e))
            return result;
    }
    static const std::string none;
    std::vector<Group> groups = candidates(std::move(entries), [&computed](const IndexEntry& e) -> const std::string& {
        if (!e.changesHash.empty())
            return e.changesHash;
        const auto it = computed.find(&e);
        return it == computed.end() ? none : it->second;
    });
    for (const auto& g : groups)
        p.total += g.members.size();

    // Confirmation: an equal hash is a candidate, equal changes make the group.
    for (const Group& candidate : groups) {
        std::vector<std::pair<std::shared_ptr<const Trace>, Group>> confirmed;
        for (const IndexEntry* e : candidate.members) {
            std::shared_ptr<const Trace> trace;
            try {
                trace = load(*e);
                ++result.compared;
            } catch (const StorageError& error) {
                result.findings.push_back(unreadable(*e, error));
            }
            if (trace) {
                auto same = std::find_if(confirmed.begin(), confirmed.end(),
                                         [&](const auto& c) { return c.first->sameChanges(*trace); });
                if (same == confirmed.end()) {
                    if (!confirmed.empty())
                        ++result.collisions;
                    confirmed.emplace_back(std::move(trace), Group{{}, candidate.changesHash});
                    same = confirmed.end() - 1;
                } else if (same != confirmed.begin()) {
                    ++result.collisions;
                }
                same->second.members.push_back(e);
            }
            if (!step(*e))
                return result;
        }
        for (auto& [first, group] : confirmed)
            if (group.members.size() >= 2)
                result.groups.push_back(std::move(group));
    }
    std::stable_sort(result.groups.begin(), result.groups.end(), [](const Group& a, const Group& b) {
        return query::treeOrderLess(*a.members.front(), *b.members.front());
    });
    return result;
}

std::unordered_map<const IndexEntry*, const IndexEntry*> sameAs(const std::vector<Group>& groups)
{
    std::unordered_map<const IndexEntry*, const IndexEntry*> out;
    for (const Group& g : groups)
        for (std::size_t i = 1; i < g.members.size(); ++i)
            out.emplace(g.members[i], g.members.front());
    return out;
}

std::string groupTitle(const Group& group)
{
    return groupTitle(group.members.empty() ? Kind::Signal : group.members.front()->kind, group.members.size());
}

std::string groupTitle(Kind kind, std::size_t members)
{
    return std::to_string(members) + " variants, one " + std::string(kindName(kind));
}

} // namespace sigscope::core::variants
