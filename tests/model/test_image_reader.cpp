// readImageInBackground: the image read on a worker equals the one read in place, is
// handed over on the context's thread, a missing file gives a null image, and nothing is
// handed to a context that is gone.

#include "model/image_reader.h"

#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace chronoscope;

class TestImageReader : public QObject {
    Q_OBJECT

private slots:
    void readsTheImageOnAWorkerAndHandsItOverOnTheContextsThread()
    {
        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        QImage written(37, 23, QImage::Format_ARGB32);
        for (int y = 0; y < written.height(); ++y)
            for (int x = 0; x < written.width(); ++x) written.setPixel(x, y, qRgba(x * 7, y * 11, (x * y) % 256, 255 - x));
        const QString path = directory.filePath(QStringLiteral("icon.png"));
        QVERIFY(written.save(path));
        QObject context;
        QImage read;
        QThread* handedOn = nullptr;
        bool done = false;
        readImageInBackground(path, &context, [&](const QImage& image) {
            read = image;
            handedOn = QThread::currentThread();
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(handedOn, QThread::currentThread());
        QCOMPARE(read.convertToFormat(QImage::Format_ARGB32), QImage(path).convertToFormat(QImage::Format_ARGB32));
        QCOMPARE(read.size(), written.size());
    }

    void aMissingFileGivesANullImage()
    {
        QObject context;
        bool done = false;
        bool null = false;
        readImageInBackground(QStringLiteral("/nonexistent/icon.png"), &context, [&](const QImage& image) {
            null = image.isNull();
            done = true;
        });
        QTRY_VERIFY(done);
        QVERIFY(null);
    }

    void nothingIsHandedToAContextThatIsGone()
    {
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("icon.png"));
        QVERIFY(QImage(8, 8, QImage::Format_RGB32).save(path));
        auto context = std::make_unique<QObject>();
        bool called = false;
        readImageInBackground(path, context.get(), [&](const QImage&) { called = true; });
        // A read already done when the call returns may have been handed over in it.
        const bool calledBeforeTheContextWent = called;
        context.reset();
        // A second read with a live context: once it is handed over, the first is settled.
        QObject live;
        bool liveDone = false;
        readImageInBackground(path, &live, [&](const QImage&) { liveDone = true; });
        QTRY_VERIFY(liveDone);
        QTest::qWait(50);
        QCOMPARE(called, calledBeforeTheContextWent);
    }
};

QTEST_MAIN(TestImageReader)
#include "test_image_reader.moc"
