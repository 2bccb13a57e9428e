#pragma once

#include "core/model/trace.h"
#include "core/util/progress.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

// Near-identical variants (`sigscope compare --matrix`): the share of bars in the same position for
// every pair of a selection of signal traces (core::stats::agreement), and an order that puts
// variants which agree next to each other, as a clustered heat matrix shows them.
namespace sigscope::core::stats {

struct AgreementMatrix
{
    std::size_t size = 0;
    std::vector<double> same; // size x size, row-major: same[i * size + j]; 1 on the diagonal
    std::vector<std::size_t> order; // the traces in clustered order (a permutation of 0 .. size-1)
    bool cancelled = false;         // progress said stop: the shares are incomplete and order is empty

    [[nodiscard]] double at(std::size_t i, std::size_t j) const { return same[i * size + j]; }
};

// Every pair over [from, to); a pair with no bar in common has share 0. The order comes from
// clusterOrder() over these shares. progress hears done/total pairs after each row (and
// current: the row's index); returning false stops early with cancelled set.
AgreementMatrix agreementMatrix(const std::vector<const Trace*>& traces, std::int64_t from = 0,
                                std::int64_t to = std::numeric_limits<std::int64_t>::max(),
                                const ProgressCallback& progress = {});

// Agglomerative clustering with average linkage over a symmetric similarity matrix (n x n,
// row-major): the two clusters with the highest mean similarity merge first (ties: the lowest
// indexes), the first cluster's members before the second's; the order is the leaves of the last
// cluster. Deterministic; O(n^2) memory.
std::vector<std::size_t> clusterOrder(const std::vector<double>& similarity, std::size_t n);

} // namespace sigscope::core::stats
