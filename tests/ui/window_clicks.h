#pragma once
// Clicks on rows of the main window's views, for the UI tests.

#include "model/events_window_model.h"

#include <QAbstractItemView>
#include <QtTest>

namespace chronoscope::test {

// Scrolls `view` to `index` and clicks its centre. An index of the events model is
// mapped to the Events table's window model first (the table shows a window of rows).
inline void clickOn(QAbstractItemView* view, QModelIndex index)
{
    if (auto* window = qobject_cast<EventsWindowModel*>(view->model()); window && index.model() != window)
        index = window->mapFromSource(index);
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

}  // namespace chronoscope::test
