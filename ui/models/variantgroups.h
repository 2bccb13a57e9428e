#pragma once

// Identical variants in the storage tree (README "Identical variants"): below a type folder, the
// traces whose change lists are equal are shown as one group row, "6 variants, one signal", with
// the traces as its children. Only the index is read (core::variants::groupByHash on the changes
// hash); an entry without a hash (an older index, an upstream folder, an L6 workspace) groups by
// the hash computed from its file in the background, and stays a row of its own until then.

#include "core/storage/storage.h"

#include <QString>

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace sigscope::ui::variantgroups {

// The rows below one type folder: each the positions (into the entries given) of a trace, or of
// the members of a group in the tree's order. A group takes the place of its first member.
using Rows = std::vector<std::vector<std::size_t>>;

// entries: one type folder's, in the tree's order; nullptr for a row that never groups (an orphan).
// computed: hashes by file path for entries whose index has none (ui/session/varianthashes.h).
Rows arrange(const std::vector<const core::IndexEntry*>& entries,
             const std::unordered_map<std::string, std::string>* computed = nullptr);

// The group row's key among its siblings: after its first member's path, before the next path.
std::string groupKey(const std::string& firstMemberPath);

// "6 variants, one signal" (core::variants::groupTitle).
QString title(core::Kind kind, std::size_t members);

} // namespace sigscope::ui::variantgroups
