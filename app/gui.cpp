#include "app/gui.h"

#include "ui/mainwindow/mainwindow.h"

#include <QApplication>

namespace sigscope::app {

int runGui(int argc, char* argv[])
{
    QApplication app(argc, argv);
    ui::MainWindow window;
    window.show();
    return QApplication::exec();
}

} // namespace sigscope::app
