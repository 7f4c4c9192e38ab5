// The filter bar alone: the clear button comes with the first text and clears it; the
// bar's minimum width does not grow with a long error message (it would squeeze the side
// panes of the window).

#include "ui/filter_bar.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QtTest>

using namespace chronoscope;

namespace {

// The line edit's clear button, when it has one and shows it.
QToolButton* visibleClearButton(QLineEdit* edit)
{
    for (QToolButton* button : edit->findChildren<QToolButton*>())
        if (button->isVisible() && button->defaultAction()
            && button->defaultAction()->objectName() == QLatin1String("_q_qlineeditclearaction"))
            return button;
    return nullptr;
}

}  // namespace

class TestFilterBar : public QObject {
    Q_OBJECT

private slots:
    void theClearButtonComesWithTextAndClearsIt()
    {
        FilterBar bar;
        bar.resize(700, bar.sizeHint().height());
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QLineEdit* edit = bar.lineEdit();
        QVERIFY(!visibleClearButton(edit));
        QTest::keyClicks(edit, QStringLiteral("type == \"OrderPlaced\""));
        QTRY_VERIFY(visibleClearButton(edit));
        QVERIFY(edit->isClearButtonEnabled());
        QTest::mouseClick(visibleClearButton(edit), Qt::LeftButton);
        QCOMPARE(bar.text(), QString());
        QTRY_VERIFY(!visibleClearButton(edit));
        // Text set by the program (a recent filter, Go back) gets it too.
        bar.setText(QStringLiteral("stream == \"order-1\""));
        QTRY_VERIFY(visibleClearButton(edit));
    }

    void aLongErrorDoesNotWidenTheBar()
    {
        FilterBar bar;
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        const int minimum = bar.minimumSizeHint().width();
        bar.setText(QStringLiteral("data.") + QString(300, QLatin1Char('x')) + QStringLiteral(" &&"));
        QVERIFY(!bar.isValid());
        QVERIFY(!bar.messageLabel()->text().isEmpty());
        QCOMPARE(bar.minimumSizeHint().width(), minimum);
        QVERIFY(bar.lineEdit()->toolTip() == bar.messageLabel()->text());
    }
};

QTEST_MAIN(TestFilterBar)
#include "test_filter_bar.moc"
