#pragma once

namespace sigscope::app {

// Runs the explorer: `sigscope [DIR] [--screenshot FILE.png] [--select FILTER] [--overview TYPE] [--size WxH]`.
int runGui(int argc, char* argv[]);

} // namespace sigscope::app
