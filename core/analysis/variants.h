#pragma once

// Identical variants (README "Identical variants"): traces of one kind and type folder whose
// change lists are equal, "37 variants, one signal". Candidates come from the changes hash of
// the index (IndexEntry::changesHash, docs/format.md "The changes hash"); an equal hash is then
// confirmed by comparing the changes themselves (Trace::sameChanges).

#include "core/model/trace.h"
#include "core/storage/storage.h"
#include "core/util/progress.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sigscope::core::variants {

struct Group
{
    // Two or more, in the tree's order (query::treeOrderLess); the others are "the same as" the first.
    std::vector<const IndexEntry*> members;
    std::string changesHash; // 16 hex digits
};

// Candidate groups from the index alone (no file is read): entries of one kind and type with the
// same non-empty changesHash; entries without one are left out. Groups in the order of their
// first member.
std::vector<Group> groupByHash(std::vector<const IndexEntry*> entries);

// Loads the trace behind an entry; throws StorageError when it cannot.
using TraceLoader = std::function<std::shared_ptr<const Trace>(const IndexEntry&)>;

struct Result
{
    std::vector<Group> groups; // confirmed, in the order of their first member
    std::size_t hashed = 0;    // entries without a changes hash in the index, hashed from their file
    std::size_t compared = 0;  // members of candidate groups loaded and compared
    std::size_t collisions = 0; // members whose hash was equal but whose changes were not
    std::vector<Finding> findings; // "parse-error" for a file that could not be read (left out)
    bool cancelled = false;
};

// The whole rule: entries without a changes hash (older indexes, upstream folders, L6
// workspaces) are loaded and hashed, then each member of a candidate group is compared with the
// first member of every confirmed subgroup; a member equal to none starts a subgroup of its own.
// Holds one trace per subgroup plus the one being compared. Progress counts traces loaded.
Result findGroups(std::vector<const IndexEntry*> entries, const TraceLoader& load,
                  const ProgressCallback& progress = {});

// Each grouped entry except a group's first -> that first member.
std::unordered_map<const IndexEntry*, const IndexEntry*> sameAs(const std::vector<Group>& groups);

// "37 variants, one signal" / "2 variants, one classifier".
std::string groupTitle(const Group& group);
std::string groupTitle(Kind kind, std::size_t members);

} // namespace sigscope::core::variants
