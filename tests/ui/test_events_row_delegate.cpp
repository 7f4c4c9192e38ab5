// The Events list's cell painter (ui/events_row_delegate.h): it shows the same text as
// eliding the whole text would, though it elides only a prefix of a long one; it puts
// the text where the style would, though it asks the style without the text; and it
// draws the text.

#include "ui/events_row_delegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <QStandardItemModel>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QtTest>

#include <memory>
#include <optional>

using namespace chronoscope;

namespace {

// A random text from pieces of different widths: ASCII words, narrow and wide letters,
// marks without width, characters outside the BMP (surrogate pairs), spaces.
QString randomText(QRandomGenerator& random)
{
    static const QStringList pieces = {
        QStringLiteral("orderId=1234 "), QStringLiteral("iiiiiiii"), QStringLiteral("llll.,"), QStringLiteral("WWMM"),
        QStringLiteral("Größe "), QStringLiteral("e\u0301"), QStringLiteral("\u200b"), QStringLiteral("名前 "),
        QString::fromUtf8("\xF0\x9F\x98\x80"), QStringLiteral(" "), QStringLiteral("sku=HM-5004 name=Indoor plant pot "),
    };
    QString text;
    const int count = static_cast<int>(random.bounded(60));
    for (int i = 0; i < count; ++i) text += pieces[random.bounded(pieces.size())];
    return text;
}

}  // namespace

class TestEventsRowDelegate : public QObject {
    Q_OBJECT

private slots:
    void showsWhatElidingTheWholeTextShows()
    {
        QRandomGenerator random(17);
        QFont font;
        const QFontMetrics metrics(font);
        int elided = 0;
        int prefixes = 0;
        for (int round = 0; round < 2000; ++round) {
            QString text = randomText(random);
            if (round % 7 == 0) text = QString(200, QLatin1Char('i'));  // narrow: the prefix fits
            const int width = 1 + static_cast<int>(random.bounded(400));
            int shownWidth = -1;
            const QString shown =
                EventsRowDelegate::shownText(text, metrics, width, EventsRowDelegate::Width::Wanted, &shownWidth);
            const QString expected = metrics.elidedText(text, Qt::ElideRight, width);
            QCOMPARE(shown, expected);
            QCOMPARE(shownWidth, metrics.horizontalAdvance(shown));
            if (shown != text) ++elided;
            if (text.size() > 2 * width / std::max(1, metrics.averageCharWidth()) + 8) ++prefixes;
            int untouched = -7;
            QCOMPARE(EventsRowDelegate::shownText(text, metrics, width, EventsRowDelegate::Width::NotWanted, &untouched),
                     expected);
            QCOMPARE(untouched, -7);
        }
        // Both paths ran: texts elided, and texts long enough to be elided from a prefix.
        QVERIFY(elided > 100);
        QVERIFY(prefixes > 100);
    }

    void widthBoundsAreNeverBelowTheShapedWidth()
    {
        // The painter takes a text whose bound fits as it is, without eliding it: sound
        // only if the bound is never below the shaped width, in every font the list uses
        // (plain, italic for corrective events, struck out for ignored ones), with kerning.
        QRandomGenerator random(29);
        static const QString latin1 = [] {
            QString characters;
            for (char16_t code = 0x20; code < 0x7f; ++code) characters += QChar(code);
            for (char16_t code = 0xa0; code <= 0xff; ++code)
                if (code != 0xad) characters += QChar(code);
            return characters;
        }();
        static const QStringList words = {QStringLiteral("AVAVATo"), QStringLiteral("Wa.Ty,"), QStringLiteral("ffifl"),
                                          QStringLiteral("order-1234"), QStringLiteral("2026-11-30 03:15:57.123"),
                                          QStringLiteral("Größe"), QStringLiteral("{\"sku\": \"HM-5004\"}")};
        int bounded = 0;
        int fitting = 0;
        int cut = 0;
        for (int fontCase = 0; fontCase < 6; ++fontCase) {
            QFont font;
            if (fontCase % 3 == 1) font.setItalic(true);
            if (fontCase % 3 == 2) font.setStrikeOut(true);
            if (fontCase >= 3) font.setPointSizeF(font.pointSizeF() * 1.7);
            const QFontMetrics metrics(font);
            const QFontMetricsF exact(font);
            EventsRowDelegate::TextWidths widths(font);
            for (int round = 0; round < 600; ++round) {
                QString text;
                const int count = static_cast<int>(random.bounded(12));
                for (int i = 0; i < count; ++i) {
                    if (random.bounded(2)) text += words[random.bounded(words.size())];
                    else
                        for (int letter = random.bounded(1, 8); letter > 0; --letter)
                            text += latin1[random.bounded(latin1.size())];
                }
                if (round % 50 == 0) text += QStringLiteral("e\u0301");  // not Latin-1: no bound
                const std::optional<qreal> bound = widths.upperBound(text);
                if (round % 50 == 0) {
                    QVERIFY(!bound);
                    continue;
                }
                QVERIFY(bound);
                ++bounded;
                QVERIFY2(*bound >= exact.horizontalAdvance(text), qPrintable(text));
                const int width = 1 + static_cast<int>(random.bounded(500));
                int shownWidth = -1;
                const QString shown = EventsRowDelegate::shownText(text, metrics, widths, width,
                                                                   EventsRowDelegate::Width::Wanted, &shownWidth);
                QCOMPARE(shown, metrics.elidedText(text, Qt::ElideRight, width));
                QCOMPARE(shownWidth, metrics.horizontalAdvance(shown));
                if (*bound <= width) ++fitting;
                // A prefix said to be wider than the cell is, so eliding it is eliding the text.
                if (const std::optional<qsizetype> length = widths.prefixSurelyWider(text, width)) {
                    QVERIFY2(exact.horizontalAdvance(text.left(*length)) > width, qPrintable(text.left(*length)));
                    ++cut;
                }
            }
        }
        QVERIFY(bounded > 3000);
        QVERIFY(fitting > 500);  // the shortcut was taken
        QVERIFY(cut > 500);      // and texts were elided from a short prefix
    }

    void theStyleDrawsNothingForAPlainCell()
    {
        // The painter does not ask the style to draw a plain cell: it must draw nothing
        // there, in the style the list uses and in Fusion, enabled or not, active or not,
        // in an alternate row or not. A selected, focused or coloured cell is drawn.
        QTableView view;
        std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
        for (QStyle* style : {view.style(), fusion.get()}) {
            for (int variant = 0; variant < 16; ++variant) {
                QStyleOptionViewItem cell;
                cell.initFrom(view.viewport());
                cell.widget = &view;
                cell.rect = QRect(3, 2, 120, 24);
                cell.state = QStyle::State_None;
                if (variant & 1) cell.state |= QStyle::State_Enabled;
                if (variant & 2) cell.state |= QStyle::State_Active;
                if (variant & 4) cell.features |= QStyleOptionViewItem::Alternate;
                cell.showDecorationSelected = variant & 8;
                const auto drawn = [&](const QStyleOptionViewItem& option) {
                    QImage image(130, 30, QImage::Format_ARGB32_Premultiplied);
                    image.fill(Qt::transparent);
                    QPainter painter(&image);
                    style->drawControl(QStyle::CE_ItemViewItem, &option, &painter, &view);
                    painter.end();
                    for (int y = 0; y < image.height(); ++y)
                        for (int x = 0; x < image.width(); ++x)
                            if (qAlpha(image.pixel(x, y)) != 0) return true;
                    return false;
                };
                QVERIFY(!EventsRowDelegate::styleDrawsBesideText(cell));
                QVERIFY(!drawn(cell));
                for (const QStyle::StateFlag flag : {QStyle::State_Selected, QStyle::State_HasFocus}) {
                    QStyleOptionViewItem marked = cell;
                    marked.state |= flag | QStyle::State_Enabled;
                    QVERIFY(EventsRowDelegate::styleDrawsBesideText(marked));
                    marked.showDecorationSelected = true;  // as the painter asks for the selection
                    if (flag == QStyle::State_Selected) QVERIFY(drawn(marked));
                }
                QStyleOptionViewItem coloured = cell;
                coloured.backgroundBrush = QColor(255, 190, 0, 56);
                QVERIFY(EventsRowDelegate::styleDrawsBesideText(coloured));
                QVERIFY(drawn(coloured));
            }
        }
    }

    void theTextGoesWhereTheStyleWouldPutIt()
    {
        // The style puts the text's own rectangle, aligned, in the part of the cell the
        // delegate asks for without the text: same left edge for text at the left, same
        // right edge for text at the right, same vertical centre.
        QTableView view;
        QStyle* style = view.style();
        QRandomGenerator random(3);
        for (int round = 0; round < 200; ++round) {
            QStyleOptionViewItem cell;
            cell.initFrom(view.viewport());
            cell.widget = &view;
            cell.rect = QRect(int(random.bounded(300)), 20 * round, 20 + int(random.bounded(400)), 18 + int(random.bounded(10)));
            cell.features = QStyleOptionViewItem::HasDisplay;
            cell.text = randomText(random);
            if (cell.text.isEmpty()) cell.text = QStringLiteral("x");
            const bool right = round % 2;
            cell.displayAlignment = (right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
            cell.showDecorationSelected = round % 4 < 2;
            const QRect withText = style->subElementRect(QStyle::SE_ItemViewItemText, &cell, &view);
            cell.text.clear();
            cell.features &= ~QStyleOptionViewItem::HasDisplay;
            cell.showDecorationSelected = true;
            const QRect area = style->subElementRect(QStyle::SE_ItemViewItemText, &cell, &view);
            QVERIFY(area.contains(withText));
            if (right) QCOMPARE(area.right(), withText.right());
            else QCOMPARE(area.left(), withText.left());
            QVERIFY(std::abs(area.center().y() - withText.center().y()) <= 1);
        }
    }

    void cellsAreDrawnWithTheirText()
    {
        // Two columns of different widths: where the text goes is kept per cell size, and
        // each column's right-aligned text ends at its own right edge.
        QStandardItemModel model(3, 2);
        model.setItem(0, 0, new QStandardItem(QStringLiteral("MMMMMMMM")));
        model.setItem(1, 0, new QStandardItem(QString()));
        auto* right = new QStandardItem(QStringLiteral("MMMM"));
        right->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        model.setItem(2, 0, right);
        for (int row = 0; row < 3; ++row) {
            auto* narrow = new QStandardItem(QStringLiteral("MM"));
            narrow->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            model.setItem(row, 1, narrow);
        }
        QTableView view;
        view.setItemDelegate(new EventsRowDelegate(&view));
        view.setModel(&model);
        view.setShowGrid(false);
        view.setColumnWidth(0, 200);
        view.setColumnWidth(1, 90);
        view.resize(360, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.viewport()->grab().toImage();
        // Dark pixels of a row's cell, in its left or right half.
        const auto darkPixels = [&](int row, bool rightHalf, int column = 0) {
            const QRect cell = view.visualRect(model.index(row, column));
            const int middle = cell.left() + cell.width() / 2;
            int dark = 0;
            for (int y = cell.top(); y <= cell.bottom(); ++y)
                for (int x = rightHalf ? middle : cell.left(); x <= (rightHalf ? cell.right() : middle - 1); ++x)
                    if (qGray(image.pixel(x, y)) < 100) ++dark;
            return dark;
        };
        QVERIFY(darkPixels(0, false) > 20);
        QCOMPARE(darkPixels(0, true), 0);
        QCOMPARE(darkPixels(1, false) + darkPixels(1, true), 0);
        QCOMPARE(darkPixels(2, false), 0);
        QVERIFY(darkPixels(2, true) > 20);
        for (int row = 0; row < 3; ++row) {
            QCOMPARE(darkPixels(row, false, 1), 0);
            QVERIFY(darkPixels(row, true, 1) > 10);
        }
    }
};

QTEST_MAIN(TestEventsRowDelegate)
#include "test_events_row_delegate.moc"
