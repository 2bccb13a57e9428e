#pragma once

namespace sigscope::ui {

// A chart draws at most this many lanes (signals and classifiers together); above it the
// window shows the overview raster and `sigscope export` asks for --overview or CSV.
inline constexpr int kMaxLanes = 48;

} // namespace sigscope::ui
