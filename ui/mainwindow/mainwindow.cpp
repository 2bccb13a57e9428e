#include "ui/mainwindow/mainwindow.h"

namespace sigscope::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("sigscope"));
}

MainWindow::~MainWindow() = default;

} // namespace sigscope::ui
