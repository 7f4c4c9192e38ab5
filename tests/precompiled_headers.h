#pragma once
// The third-party and standard headers that most test programs include, compiled once
// per group of tests (tests/CMakeLists.txt, chronoscope_add_test_headers) and loaded by
// each test of the group before its own first line. Parsing Qt Test with the whole of
// QtCore, nlohmann/json and the standard library was most of each test's compile.
//
// What a header declares depends on the Qt modules' definitions (QT_GUI_LIB,
// QT_WIDGETS_LIB: QTEST_MAIN makes a QApplication only when QT_WIDGETS_LIB is defined),
// so one group is the tests that link the same libraries. Only headers from outside the
// project go here: a test still includes what it uses, and a change to the engine's
// headers rebuilds only the tests that include them.

#include <QtTest>

#if defined(QT_GUI_LIB)
#include <QtGui>
#endif
#if defined(QT_WIDGETS_LIB)
#include <QtWidgets>
#endif

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
