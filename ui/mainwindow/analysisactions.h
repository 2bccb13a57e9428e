#pragma once

class QMenu;

namespace sigscope::ui {

class MainWindow;

// The View menu's entries for judging the charted signals (issue 14): Consensus Lane and Equity
// Lane (remembered toggles, ui/mainwindow/viewtoggles.h) and Distributions (Ctrl+Shift+D); and
// the Analysis menu after View (ui/mainwindow/agreementactions.h).
void addAnalysisActions(MainWindow* window, QMenu* view);

} // namespace sigscope::ui
