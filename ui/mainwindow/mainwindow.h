#pragma once

#include <QMainWindow>

namespace sigscope::ui {

// The explorer window: a thin shell that wires the panels together.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;
};

} // namespace sigscope::ui
