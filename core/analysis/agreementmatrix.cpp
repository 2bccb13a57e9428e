#include "core/analysis/agreementmatrix.h"

#include "core/analysis/compare.h"

#include <algorithm>
#include <string>
#include <utility>

namespace sigscope::core::stats {

AgreementMatrix agreementMatrix(const std::vector<const Trace*>& traces, std::int64_t from, std::int64_t to,
                                const ProgressCallback& progress)
{
    AgreementMatrix m;
    m.size = traces.size();
    m.same.assign(m.size * m.size, 0.0);
    Progress step;
    step.total = m.size * (m.size - std::min<std::size_t>(m.size, 1)) / 2;
    for (std::size_t i = 0; i < m.size; ++i) {
        step.current = std::to_string(i);
        if (progress && !progress(step)) {
            m.cancelled = true;
            return m;
        }
        step.done += m.size - i - 1;
        m.same[i * m.size + i] = 1.0;
        for (std::size_t j = i + 1; j < m.size; ++j) {
            const Agreement a = agreement(*traces[i], *traces[j], from, to);
            const double share = a.share(a.same);
            m.same[i * m.size + j] = share;
            m.same[j * m.size + i] = share;
        }
    }
    m.order = clusterOrder(m.same, m.size);
    return m;
}

std::vector<std::size_t> clusterOrder(const std::vector<double>& similarity, std::size_t n)
{
    // Live clusters keep their members in order and their summed similarity to every other
    // cluster (mean = sum / (size a * size b)); each keeps its best partner so that a merge
    // rescans only the rows that pointed at the merged pair.
    std::vector<std::vector<std::size_t>> members(n);
    std::vector<double> sums(similarity.begin(), similarity.begin() + std::ptrdiff_t(n * n));
    std::vector<bool> live(n, true);
    std::vector<std::size_t> best(n, n);
    for (std::size_t i = 0; i < n; ++i)
        members[i] = {i};
    const auto mean = [&](std::size_t a, std::size_t b) {
        return sums[a * n + b] / (double(members[a].size()) * double(members[b].size()));
    };
    // The partner of a: highest mean, ties to the lowest index.
    const auto rescan = [&](std::size_t a) {
        best[a] = n;
        for (std::size_t b = 0; b < n; ++b)
            if (b != a && live[b] && (best[a] == n || mean(a, b) > mean(a, best[a])))
                best[a] = b;
    };
    for (std::size_t i = 0; i < n; ++i)
        rescan(i);
    for (std::size_t merges = 1; merges < n; ++merges) {
        std::size_t a = n;
        for (std::size_t i = 0; i < n; ++i)
            if (live[i] && best[i] != n && (a == n || mean(i, best[i]) > mean(a, best[a])))
                a = i;
        std::size_t b = best[a];
        if (b < a)
            std::swap(a, b); // the lower index keeps the merged cluster and comes first
        for (std::size_t c = 0; c < n; ++c) {
            sums[a * n + c] += sums[b * n + c];
            sums[c * n + a] = sums[a * n + c];
        }
        members[a].insert(members[a].end(), members[b].begin(), members[b].end());
        members[b].clear();
        live[b] = false;
        for (std::size_t c = 0; c < n; ++c)
            if (live[c] && (c == a || best[c] == a || best[c] == b))
                rescan(c);
            else if (live[c] && best[c] != n
                     && (mean(c, a) > mean(c, best[c]) || (mean(c, a) == mean(c, best[c]) && a < best[c])))
                best[c] = a;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (live[i])
            return members[i];
    return {};
}

} // namespace sigscope::core::stats
