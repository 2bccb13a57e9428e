#include "ui/models/variantgroups.h"

#include "core/analysis/variants.h"

#include <deque>
#include <unordered_map>
#include <utility>

namespace sigscope::ui::variantgroups {

Rows arrange(const std::vector<const core::IndexEntry*>& entries,
             const std::unordered_map<std::string, std::string>* computed)
{
    std::unordered_map<const core::IndexEntry*, std::size_t> position;
    std::vector<const core::IndexEntry*> hashed;
    std::deque<core::IndexEntry> withComputed; // copies of entries given a computed hash
    position.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const core::IndexEntry* e = entries[i];
        if (e && e->changesHash.empty() && computed) {
            const auto it = computed->find(e->filePath);
            if (it == computed->end())
                continue;
            withComputed.push_back(*e);
            withComputed.back().changesHash = it->second;
            e = &withComputed.back();
        }
        if (e && !e->changesHash.empty()) {
            position.emplace(e, i);
            hashed.push_back(e);
        }
    }
    // Each grouped entry -> its group's row (at its first member), or "no row" for the others.
    constexpr std::size_t kOwnRow = static_cast<std::size_t>(-1);
    std::vector<std::size_t> groupOf(entries.size(), kOwnRow);
    std::vector<std::vector<std::size_t>> groups;
    for (const auto& group : core::variants::groupByHash(std::move(hashed))) {
        std::vector<std::size_t> members;
        members.reserve(group.members.size());
        for (const core::IndexEntry* e : group.members) {
            members.push_back(position.at(e));
            groupOf[members.back()] = groups.size();
        }
        groups.push_back(std::move(members));
    }
    Rows rows;
    rows.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (groupOf[i] == kOwnRow) {
            rows.push_back({i});
            continue;
        }
        // The group's row at its first member; it is empty once placed.
        auto& group = groups[groupOf[i]];
        if (!group.empty() && group.front() == i)
            rows.push_back(std::exchange(group, {}));
    }
    return rows;
}

std::string groupKey(const std::string& firstMemberPath)
{
    // Paths never hold a newline: the key sorts right after the path (core::naturalLess) and
    // never equals a trace's key, so toggling the grouping replaces rows instead of mixing them.
    return firstMemberPath + "\n=";
}

QString title(core::Kind kind, std::size_t members)
{
    return QString::fromStdString(core::variants::groupTitle(kind, members));
}

} // namespace sigscope::ui::variantgroups
