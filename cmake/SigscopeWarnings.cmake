# Warnings live on an INTERFACE target so no global flag string is touched.
add_library(sigscope_warnings INTERFACE)
add_library(sigscope::warnings ALIAS sigscope_warnings)
target_compile_options(sigscope_warnings INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
        -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough>)
# CI builds with SIGSCOPE_WERROR=ON so that a new warning fails the build; only the project's
# own targets link sigscope::warnings, so Qt and third-party headers are not affected.
if(SIGSCOPE_WERROR)
    target_compile_options(sigscope_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror>)
endif()

# Qt safety macros for every target that links Qt.
add_library(sigscope_qt_defaults INTERFACE)
target_compile_definitions(sigscope_qt_defaults INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER QT_NO_FOREACH)
