#include "ui/main_window.h"

#include "model/audit_model.h"
#include "model/bookmarks_model.h"
#include "model/event_exporter.h"
#include "model/events_table_model.h"
#include "model/pending_fixes.h"
#include "model/projection_catalog.h"
#include "model/projection_runner.h"
#include "model/pull_worker.h"
#include "model/settings_writer.h"
#include "model/store_session.h"
#include "model/streams_model.h"
#include "ui/audit_dock.h"
#include "ui/bookmarks_dock.h"
#include "ui/colouring_rules_dialog.h"
#include "ui/correction_actions.h"
#include "ui/event_dock.h"
#include "ui/events_view.h"
#include "ui/filter_bar.h"
#include "ui/palette.h"
#include "ui/pending_fixes_dock.h"
#include "ui/projections_dock.h"
#include "ui/pull_dialog.h"
#include "ui/recent_files.h"
#include "ui/state_dock.h"
#include "ui/streams_dock.h"
#include "ui/timeline_dock.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QTreeView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTimer>
#include <QStatusBar>
#include <QTableView>

namespace chronoscope {
namespace {

constexpr int kMessageMilliseconds = 8000;
const QString kStoreFilter = QObject::tr("Event stores (*.chrono *.db *.sqlite);;NDJSON files (*.ndjson *.jsonl);;All files (*)");

}  // namespace

MainWindow::MainWindow(const QString& storeToOpen, QWidget* parent)
    : QMainWindow(parent),
      m_session(new StoreSession(this)),
      m_streamsModel(new StreamsModel(this)),
      m_eventsModel(new EventsTableModel(this)),
      m_bookmarksModel(new BookmarksModel(this)),
      m_exporter(new EventExporter(this))
{
    // The list's workers read the first rows while the window is built (their answers
    // come through the event loop, after the constructor); openPath below checks the store.
    const bool storeGiven = !storeToOpen.isEmpty() && !StoreSession::isNdjsonFile(storeToOpen);
    m_eventsModel->setColouringRules(loadColouringRules());  // before the list starts: they would restart it
    if (storeGiven) startEarlyList(storeToOpen);
    setWindowTitle(tr("Chronoscope"));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    // The side columns run the full height; the bottom area (Timeline, pending fixes,
    // audit) sits under the events list only, so the Event and State panes keep their room.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    m_eventsView = new EventsView(m_eventsModel, this);
    setCentralWidget(m_eventsView);
    m_streamsDock = new StreamsDock(m_streamsModel, this);
    addDockWidget(Qt::LeftDockWidgetArea, m_streamsDock);
    m_eventDock = new EventDock(this);
    addDockWidget(Qt::RightDockWidgetArea, m_eventDock);
    m_timelineDock = new TimelineDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);
    m_bookmarksDock = new BookmarksDock(m_bookmarksModel, this);
    addDockWidget(Qt::LeftDockWidgetArea, m_bookmarksDock);
    tabifyDockWidget(m_streamsDock, m_bookmarksDock);
    m_streamsDock->raise();
    createProjectionsDock();
    createStateDock();

    createActions();
    createCorrections();
    connectProjectionPanes();
    createStatusBar();
    // The panes beside the list show their content after the first frame, their
    // placeholders with the content's sizes (those of the last start; at a first start
    // the content is built now to learn them, and put in after the first frame).
    for (LazyDockWidget* pane : std::initializer_list<LazyDockWidget*>{m_streamsDock, m_eventDock, m_stateDock, m_timelineDock})
        pane->prepareForFirstFrame();

    connect(m_session, &StoreSession::opened, this, &MainWindow::onStoreOpened);
    connect(m_session, &StoreSession::openFailed, this, &MainWindow::onStoreOpenFailed);
    connect(m_streamsDock, &StreamsDock::selectionChosen, m_eventsView, &EventsView::showSelection);
    connect(m_eventsView, &EventsView::currentEventChanged, m_eventDock->loader(), &EventDetailsLoader::load);
    connect(m_eventsView, &EventsView::selectionChanged, m_eventDock->loader(), &EventDetailsLoader::clear);
    connect(m_eventsView, &EventsView::selectionChanged, m_streamsDock, &StreamsDock::showCurrent);
    connect(m_eventDock, &EventDock::followCorrelationRequested, this, [this](const QString& correlationId) {
        m_eventsView->followCorrelation(correlationId, m_eventDock->shownPosition());
        statusBar()->showMessage(tr("Following correlation %1 across streams").arg(correlationId), kMessageMilliseconds);
    });
    connect(m_eventsView, &EventsView::selectionChanged, this, [this](const EventsSelection& selection) {
        m_timelineDock->showSelection(m_eventsModel->storePath(), selection);
    });
    connect(m_timelineDock, &TimelineDock::positionChosen, m_eventsView, &EventsView::goToPosition);
    connect(m_bookmarksDock, &BookmarksDock::positionChosen, m_eventsView, &EventsView::goToPosition);
    connect(m_bookmarksModel, &BookmarksModel::notesChanged, this,
            [this] { m_eventsModel->setNotes(m_bookmarksModel->notes()); });
    connect(m_bookmarksModel, &BookmarksModel::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Bookmarks and comments: %1").arg(message), kMessageMilliseconds);
    });
    connect(m_eventDock, &EventDock::promoteFieldRequested, m_eventsView, &EventsView::addFieldColumn);
    connect(m_eventsModel, &EventsTableModel::storeAppended, m_streamsModel, &StreamsModel::updateAfter);
    connect(m_eventsView, &EventsView::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, kMessageMilliseconds); });
    connect(m_eventsModel, &EventsTableModel::rowCountStateChanged, this, &MainWindow::updateRowsLabel);
    connect(m_eventsModel, &EventsTableModel::queryFailed, this,
            [this](const QString& message) { statusBar()->showMessage(tr("Cannot list events: %1").arg(message)); });
    connect(m_eventsModel, &EventsTableModel::indexProgress, this, [this](qint64 rows, bool finished) {
        m_indexLabel->setText(finished ? QString() : tr("indexing %1 rows…").arg(QLocale().toString(rows)));
    });
    connect(m_eventsModel, &EventsTableModel::rowsAppended, this, [this](qint64 rows) {
        statusBar()->showMessage(tr("%n new event(s) appended", nullptr, static_cast<int>(rows)), kMessageMilliseconds);
    });
    connect(m_streamsModel, &StreamsModel::loaded, this, [this](qint64 streams, qint64 events) {
        statusBar()->showMessage(tr("%1 streams, %2 events").arg(QLocale().toString(streams), QLocale().toString(events)),
                                 kMessageMilliseconds);
    });
    connect(m_streamsModel, &StreamsModel::loadFailed, this,
            [this](const QString& message) { statusBar()->showMessage(tr("Cannot list streams: %1").arg(message)); });
    restoreLayout();
    if (storeGiven) openPath(storeToOpen);
}

MainWindow::~MainWindow() { waitForSettingWrites(); }

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseAndOpen);
    open->setShortcut(QKeySequence::Open);
    QMenu* recent = file->addMenu(tr("Open &Recent"));
    m_recentFiles = new RecentFiles(recent, this);
    connect(m_recentFiles, &RecentFiles::fileChosen, this, &MainWindow::openPath);
    file->addAction(tr("&Import NDJSON…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import NDJSON"), {}, tr("NDJSON files (*.ndjson *.jsonl *.json);;All files (*)"));
        if (!path.isEmpty()) importNdjson(path);
    });
    file->addAction(tr("&Pull from PostgreSQL…"), this, &MainWindow::pullFromPostgres);
    QAction* exportAction = file->addAction(tr("&Export Displayed Events…"), this, &MainWindow::exportEvents);
    exportAction->setShortcut(Qt::CTRL | Qt::Key_E);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_eventsView->physicalOrderAction());
    view->addAction(m_eventsView->timeDeltaAction());
    view->addAction(m_eventsView->liveTailAction());
    view->addAction(tr("&Colouring Rules…"), this, &MainWindow::editColouringRules);
    m_eventsView->physicalOrderAction()->setShortcut(Qt::CTRL | Qt::Key_P);
    m_eventsView->timeDeltaAction()->setShortcut(Qt::CTRL | Qt::Key_D);
    m_eventsView->liveTailAction()->setShortcut(Qt::CTRL | Qt::Key_L);
    view->addSeparator();
    view->addAction(m_streamsDock->toggleViewAction());
    view->addAction(m_eventDock->toggleViewAction());
    view->addAction(m_timelineDock->toggleViewAction());
    view->addAction(m_bookmarksDock->toggleViewAction());
    view->addAction(m_projectionsDock->toggleViewAction());
    view->addAction(m_stateDock->toggleViewAction());
    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    const std::pair<Theme, QString> choices[] = {{Theme::Light, tr("&Light")}, {Theme::Dark, tr("&Dark")}};
    for (const auto& [value, label] : choices) {
        QAction* action = theme->addAction(label);
        action->setCheckable(true);
        action->setChecked(savedTheme() == value || (value == Theme::Light && savedTheme() == Theme::System));
        themes->addAction(action);
        // A copy: clang 14 cannot capture a structured binding.
        connect(action, &QAction::triggered, this, [chosen = value] {
            applyTheme(chosen);
            saveTheme(chosen);
        });
    }

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    QAction* filter = go->addAction(tr("&Filter…"), m_eventsView->filterBar(), &FilterBar::focusExpression);
    filter->setShortcut(QKeySequence::Find);
    QAction* position = go->addAction(tr("Go to &Position…"), this, &MainWindow::goToPosition);
    position->setShortcut(Qt::CTRL | Qt::Key_G);
    go->addSeparator();
    QAction* findNext = go->addAction(tr("Find &Next"), this, [this] { m_eventsView->findNext(false); });
    // F3 alone: the platform's Find Next key is F3 too (or Ctrl+G, Go to Position), and a
    // key bound twice is an ambiguous shortcut that does nothing.
    findNext->setShortcut(Qt::Key_F3);
    QAction* findPrevious = go->addAction(tr("Find &Previous"), this, [this] { m_eventsView->findNext(true); });
    findPrevious->setShortcut(Qt::SHIFT | Qt::Key_F3);
    go->addSeparator();
    QAction* bookmark = go->addAction(tr("Toggle &Bookmark"), this, &MainWindow::toggleBookmark);
    bookmark->setShortcut(Qt::CTRL | Qt::Key_B);
    QAction* comment = go->addAction(tr("&Comment…"), this, &MainWindow::commentOnEvent);
    comment->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_B);
    m_eventsView->setRowActions({bookmark, comment});
    m_annotationActions = {bookmark, comment};
    go->addSeparator();
    QAction* back = go->addAction(tr("&Back"), m_eventsView, &EventsView::goBack);
    back->setShortcut(Qt::ALT | Qt::Key_Left);
    QAction* forward = go->addAction(tr("&Forward"), m_eventsView, &EventsView::goForward);
    forward->setShortcut(Qt::ALT | Qt::Key_Right);
    go->addSeparator();
    QAction* streams = go->addAction(tr("&Streams"), this, [this] {
        m_streamsDock->show();
        m_streamsDock->filterEdit()->setFocus(Qt::ShortcutFocusReason);
    });
    streams->setShortcut(Qt::CTRL | Qt::Key_1);
    QAction* events = go->addAction(tr("&Events"), this, [this] { m_eventsView->tableView()->setFocus(Qt::ShortcutFocusReason); });
    events->setShortcut(Qt::CTRL | Qt::Key_2);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Chronoscope"), this, [this] {
        QMessageBox::about(this, tr("About Chronoscope"),
                           tr("<b>Chronoscope %1</b><p>Browse, time-travel and correct the history of an event store.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::createStatusBar()
{
    m_indexLabel = new QLabel(this);
    m_rowsLabel = new QLabel(this);
    m_rowsLabel->setObjectName(QStringLiteral("rowsLabel"));
    m_readOnlyLabel = new QLabel(tr("Read-only"), this);
    m_readOnlyLabel->setObjectName(QStringLiteral("readOnlyLabel"));
    m_readOnlyLabel->hide();
    statusBar()->addPermanentWidget(m_readOnlyLabel);
    m_importProgress = new QProgressBar(this);
    m_importProgress->setMaximumWidth(200);
    m_importProgress->hide();
    m_importCancel = new QPushButton(tr("Cancel"), this);
    m_importCancel->hide();
    connect(m_importCancel, &QPushButton::clicked, m_session, &StoreSession::cancelImport);
    // Connected once, here: the session and the exporter live as long as the window.
    connect(m_session, &StoreSession::importProgress, m_importProgress, [this](qint64 done, qint64 total) {
        if (total > 0) m_importProgress->setValue(static_cast<int>(done * 1000 / total));
    });
    connect(m_session, &StoreSession::importFinished, this, [this](const QString&, qint64 events) {
        hideImportProgress();
        statusBar()->showMessage(tr("Imported %1 events").arg(QLocale().toString(events)), kMessageMilliseconds);
    });
    connect(m_session, &StoreSession::importFailed, this, [this](const QString& message) {
        hideImportProgress();
        statusBar()->showMessage(message);
    });
    connect(m_exporter, &EventExporter::progress, this, [this](qint64 written) {
        statusBar()->showMessage(tr("Exporting… %1 events").arg(QLocale().toString(written)));
    });
    connect(m_exporter, &EventExporter::finished, this, [this](const QString& target, qint64 written) {
        statusBar()->showMessage(tr("Exported %1 events to %2").arg(QLocale().toString(written), target), kMessageMilliseconds);
    });
    connect(m_exporter, &EventExporter::failed, this,
            [this](const QString& message) { statusBar()->showMessage(tr("Export failed: %1").arg(message)); });
    statusBar()->addPermanentWidget(m_importProgress);
    statusBar()->addPermanentWidget(m_importCancel);
    statusBar()->addPermanentWidget(m_indexLabel);
    statusBar()->addPermanentWidget(m_rowsLabel);
    statusBar()->showMessage(tr("Open a store with File › Open (Ctrl+O), or drop a store or an NDJSON file here"));
}

void MainWindow::hideImportProgress()
{
    m_importProgress->hide();
    m_importCancel->hide();
}

void MainWindow::openPath(const QString& path)
{
    if (StoreSession::isNdjsonFile(path)) {
        importNdjson(path);
        return;
    }
    // The check (for a server: connecting and reading its schema) runs on a worker.
    // A store file opened before the window is shown (the command line) is also read by
    // the Events list at once, beside the check and the showing of the window, so that
    // its first rows wait neither for the check nor for the GUI thread's turn after it
    // (showWithFirstRows shows the window with them). onStoreOpened keeps that list; a
    // failed check empties it.
    startEarlyList(path);
    const QString name = StoreSession::displayName(path);
    statusBar()->showMessage(StoreSession::isServerLocation(path) ? tr("Connecting to %1…").arg(name)
                                                                 : tr("Opening %1…").arg(name));
    m_session->open(path);
}

void MainWindow::startEarlyList(const QString& path)
{
    if (isVisible() || !m_session->storePath().isEmpty() || !m_earlyListPath.isEmpty()
        || StoreSession::isServerLocation(path) || !m_eventsModel->storePath().isEmpty())
        return;
    m_earlyListPath = StoreSession::absoluteLocation(path);
    m_earlyListAnswered = false;
    m_awaitingFirstRows = true;
    const auto answered = [this, early = m_earlyListPath] {
        m_awaitingFirstRows = false;
        if (early == m_earlyListPath) m_earlyListAnswered = true;
    };
    connect(m_eventsModel, &EventsTableModel::rowsLoaded, this, answered, Qt::SingleShotConnection);
    connect(m_eventsModel, &EventsTableModel::queryFailed, this, answered, Qt::SingleShotConnection);
    m_eventsModel->setStorePath(m_earlyListPath);
}

void MainWindow::chooseAndOpen()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Event Store"), {}, kStoreFilter);
    if (!path.isEmpty()) openPath(path);
}

void MainWindow::importNdjson(const QString& ndjsonPath)
{
    if (m_session->isImporting()) {
        statusBar()->showMessage(tr("An import is already running"), kMessageMilliseconds);
        return;
    }
    const QFileInfo source(ndjsonPath);
    const QString suggested = source.absolutePath() + QLatin1Char('/') + source.completeBaseName() + QStringLiteral(".chrono");
    const QString target = QFileDialog::getSaveFileName(this, tr("Create a Store for %1").arg(source.fileName()), suggested,
                                                        tr("Event stores (*.chrono)"));
    if (target.isEmpty()) return;
    if (QFileInfo::exists(target)) {
        QMessageBox::warning(this, tr("Import NDJSON"),
                             tr("%1 already exists. Choose a new file name: an import creates a new store.").arg(target));
        return;
    }
    m_importProgress->setRange(0, 1000);
    m_importProgress->setValue(0);
    m_importProgress->show();
    m_importCancel->show();
    statusBar()->showMessage(tr("Importing %1…").arg(source.fileName()));
    m_session->importInto(ndjsonPath, target);
}

void MainWindow::pullFromPostgres()
{
    if (!m_pullWorker) {
        m_pullWorker = new PullWorker(this);
        connect(m_importCancel, &QPushButton::clicked, m_pullWorker, &PullWorker::cancel);
        connect(m_pullWorker, &PullWorker::progress, m_importProgress, [this](qint64 done, qint64 total) {
            if (total > 0) m_importProgress->setValue(static_cast<int>(qMin(done, total) * 1000 / total));
        });
        connect(m_pullWorker, &PullWorker::finished, this, [this](const QString& path, qint64, const QString& summary) {
            hideImportProgress();
            statusBar()->showMessage(summary, kMessageMilliseconds);
            if (path != m_session->storePath()) m_session->open(path);
        });
        connect(m_pullWorker, &PullWorker::failed, this, [this](const QString& message) {
            hideImportProgress();
            statusBar()->showMessage(message);
        });
    }
    if (m_pullWorker->isRunning() || m_session->isImporting()) {
        statusBar()->showMessage(tr("A pull or an import is already running"), kMessageMilliseconds);
        return;
    }
    PullDialog dialog(m_session->storePath(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    m_importProgress->setRange(0, 1000);
    m_importProgress->setValue(0);
    m_importProgress->show();
    m_importCancel->show();
    statusBar()->showMessage(tr("Pulling from PostgreSQL…"));
    m_pullWorker->start(dialog.request());
}

void MainWindow::exportEvents()
{
    if (m_eventsModel->storePath().isEmpty() || m_exporter->isRunning()) return;
    QString chosenFilter;
    const QString csvFilter = tr("CSV (*.csv)");
    const QString answered = QFileDialog::getSaveFileName(this, tr("Export Displayed Events"), QStringLiteral("events.ndjson"),
                                                          tr("NDJSON (*.ndjson);;%1").arg(csvFilter), &chosenFilter);
    if (answered.isEmpty()) return;
    // The name's suffix decides the format when it names one, else the type chosen.
    const auto chosen = chosenFilter == csvFilter ? EventExporter::Format::Csv : EventExporter::Format::Ndjson;
    const QString path = EventExporter::targetPath(answered, chosen);
    const auto answer = QMessageBox::question(this, tr("Export Displayed Events"),
                                              tr("Include the events marked ignored?"),
                                              QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Yes);
    if (answer == QMessageBox::Cancel) return;
    m_exporter->start(m_eventsModel->storePath(), m_eventsModel->selection(), path, EventExporter::formatFor(path, chosen),
                      answer == QMessageBox::Yes ? EventExporter::Ignored::Include : EventExporter::Ignored::Leave);
}

void MainWindow::goToPosition()
{
    m_eventsView->askForPosition();
}

void MainWindow::onStoreOpened(const QString& path)
{
    // The events list first: its first rows are what the user waits for. The other panes
    // start their store work (streams, timeline, projections, bookmarks, audit) once those
    // rows are in or the list failed (at the latest after kPanesDelayMilliseconds), so that
    // their scans do not compete with the first window for the cores.
    const bool early = !m_earlyListPath.isEmpty() && m_earlyListPath == path && m_eventsModel->storePath() == path;
    const bool earlyAnswered = early && m_earlyListAnswered;
    m_earlyListPath.clear();
    if (!early) m_eventsModel->setStorePath(path);
    m_eventsView->showSelection(EventsSelection::everything());
    m_eventDock->loader()->setStorePath(path);
    const QString readOnlyReason = m_session->readOnlyReason();
    const QString name = StoreSession::displayName(path);
    setWindowTitle(readOnlyReason.isEmpty() ? tr("%1 — Chronoscope").arg(name) : tr("%1 [read-only] — Chronoscope").arg(name));
    m_correctionActions->setWritable(readOnlyReason.isEmpty(), readOnlyReason);
    for (QAction* action : std::as_const(m_annotationActions)) action->setEnabled(readOnlyReason.isEmpty());
    m_readOnlyLabel->setVisible(!readOnlyReason.isEmpty());
    m_readOnlyLabel->setToolTip(tr("Nothing can be written to this store: %1").arg(readOnlyReason));
    setWindowFilePath(StoreSession::isServerLocation(path) ? QString() : path);
    const QString shown = StoreSession::isServerLocation(path) ? name : QDir::toNativeSeparators(path);
    if (readOnlyReason.isEmpty())
        statusBar()->showMessage(tr("Opened %1").arg(shown), kMessageMilliseconds);
    else
        statusBar()->showMessage(tr("Opened %1 read-only: %2; bookmarks, comments and corrections cannot be written")
                                     .arg(shown, readOnlyReason));
    const quint64 generation = ++m_panesGeneration;
    auto openInPanes = [this, generation, path] {
        if (generation == m_panesGeneration) openStoreInPanes(path);
    };
    if (earlyAnswered) {
        openInPanes();  // the list's first rows are already in
    } else {
        connect(m_eventsModel, &EventsTableModel::rowsLoaded, this, openInPanes, Qt::SingleShotConnection);
        connect(m_eventsModel, &EventsTableModel::queryFailed, this, openInPanes, Qt::SingleShotConnection);
        QTimer::singleShot(kPanesDelayMilliseconds, this, openInPanes);
    }
    if (m_pendingPosition > 0) m_eventsView->goToPosition(std::exchange(m_pendingPosition, 0));
}

void MainWindow::openStoreInPanes(const QString& path)
{
    ++m_panesGeneration;  // once per opening
    m_recentFiles->add(path);
    m_streamsModel->setStorePath(path);
    m_bookmarksModel->setStorePath(path);
    m_projectionsDock->setStorePath(path);
    m_stateDock->setStorePath(path);
    m_pendingFixesDock->setStorePath(path);
    m_auditModel->setStorePath(path);
    m_streamsDock->showCurrent(m_eventsModel->selection());
    m_timelineDock->showSelection(path, m_eventsModel->selection());
    emit panesOpened(path);
}

void MainWindow::onStoreOpenFailed(const QString& path, const QString& message)
{
    if (!m_earlyListPath.isEmpty() && m_earlyListPath == path) {
        m_earlyListPath.clear();
        m_awaitingFirstRows = false;
        if (m_eventsModel->storePath() == path) m_eventsModel->setStorePath({});  // the list read it before the check failed
    }
    statusBar()->showMessage(tr("Cannot open %1: %2").arg(StoreSession::displayName(path), message));
    QMessageBox::warning(this, tr("Open Event Store"),
                         tr("<p>Cannot open %1.</p><p>%2</p><p>Choose a Chronoscope store (.chrono), or import an "
                            "NDJSON file with File › Import NDJSON.</p>")
                             .arg(path.toHtmlEscaped(), message.toHtmlEscaped()));
}

void MainWindow::updateRowsLabel()
{
    const QString rows = QLocale().toString(m_eventsModel->rowCount());
    switch (m_eventsModel->rowCountState()) {
    case EventsTableModel::RowCountState::Unknown: m_rowsLabel->setText(tr("Rows: counting…")); break;
    case EventsTableModel::RowCountState::Partial: m_rowsLabel->setText(tr("Rows: ≥ %1 (counting…)").arg(rows)); break;
    case EventsTableModel::RowCountState::Complete: m_rowsLabel->setText(tr("Rows: %1").arg(rows)); break;
    }
}

void MainWindow::toggleBookmark()
{
    const std::optional<qint64> position = m_eventsView->currentPosition();
    if (!position) {
        statusBar()->showMessage(tr("Select an event to bookmark"), kMessageMilliseconds);
        return;
    }
    const bool bookmarked = !m_bookmarksModel->isBookmarked(*position);
    m_bookmarksModel->setBookmark(*position, bookmarked);
    statusBar()->showMessage(bookmarked ? tr("Bookmarked event %1").arg(*position)
                                        : tr("Removed the bookmark of event %1").arg(*position),
                             kMessageMilliseconds);
}

void MainWindow::commentOnEvent()
{
    const std::optional<qint64> position = m_eventsView->currentPosition();
    if (!position) {
        statusBar()->showMessage(tr("Select an event to comment on"), kMessageMilliseconds);
        return;
    }
    m_bookmarksDock->editComment(*position);
}

void MainWindow::editColouringRules()
{
    ColouringRulesDialog dialog(m_eventsModel->colouringRules(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    saveColouringRules(dialog.rules());
    m_eventsModel->setColouringRules(dialog.rules());
}

// The Projections pane (DESIGN §8): beside the Event pane; it follows the open store and
// folds appends and corrections live.
void MainWindow::createProjectionsDock()
{
    m_projectionsDock = new ProjectionsDock(this);
    addDockWidget(Qt::RightDockWidgetArea, m_projectionsDock);
    tabifyDockWidget(m_eventDock, m_projectionsDock);
    m_eventDock->raise();
    connect(m_session, &StoreSession::closed, m_projectionsDock, [this] {
        ++m_panesGeneration;  // a pending openStoreInPanes() is dropped
        m_projectionsDock->setStorePath({});
    });
    connect(m_eventsModel, &EventsTableModel::storeAppended, m_projectionsDock->runner(), &ProjectionRunner::storeChanged);
    connect(m_projectionsDock, &ProjectionsDock::positionChosen, m_eventsView, &EventsView::goToPosition);
    connect(m_projectionsDock, &ProjectionsDock::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, kMessageMilliseconds); });
}

// Corrections: staging actions on the Events list, the Pending Fixes pane (preview,
// apply) and the Audit pane, kept up to date with the store.
void MainWindow::createCorrections()
{
    m_pendingFixesModel = new PendingFixesModel(this);
    m_pendingFixesDock = new PendingFixesDock(m_pendingFixesModel, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_pendingFixesDock);
    m_auditModel = new AuditModel(this);
    m_auditDock = new AuditDock(m_auditModel, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_auditDock);
    tabifyDockWidget(m_timelineDock, m_pendingFixesDock);
    tabifyDockWidget(m_pendingFixesDock, m_auditDock);
    m_timelineDock->raise();
    m_correctionActions = new CorrectionActions(m_eventsView, m_pendingFixesModel, this);
    m_eventsView->addRowActions(m_correctionActions->actions());

    QMenu* corrections = new QMenu(tr("&Corrections"), this);
    corrections->addActions(m_correctionActions->actions());
    corrections->addSeparator();
    corrections->addAction(m_pendingFixesDock->toggleViewAction());
    corrections->addAction(m_auditDock->toggleViewAction());
    menuBar()->insertMenu(menuBar()->actions().constLast(), corrections);  // before Help

    connect(m_correctionActions, &CorrectionActions::staged, m_pendingFixesDock, [this] {
        m_pendingFixesDock->show();
        m_pendingFixesDock->raise();
        // Room for the preview, side by side.
        if (!m_pendingFixesDock->isFloating() && m_pendingFixesDock->height() < height() * 2 / 5)
            resizeDocks({m_pendingFixesDock}, {height() / 2}, Qt::Vertical);
    });
    connect(m_correctionActions, &CorrectionActions::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, kMessageMilliseconds); });
    connect(m_pendingFixesDock, &PendingFixesDock::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, kMessageMilliseconds); });
    connect(m_pendingFixesDock, &PendingFixesDock::correctionsApplied, this, [this] {
        m_eventsModel->refresh();  // ignored rows struck through, the corrective events in place
        m_auditModel->reload();
        emit correctionsApplied();
    });
    // Corrections by another process are appends to $corrections.
    connect(m_eventsModel, &EventsTableModel::storeAppended, m_auditModel, &AuditModel::reload);
    connect(m_auditDock, &AuditDock::positionChosen, m_eventsView, &EventsView::goToPosition);
    connect(m_auditModel, &AuditModel::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Audit: %1").arg(message), kMessageMilliseconds);
    });
}

// The State pane (time travel): below the Event pane, following the events list.
void MainWindow::createStateDock()
{
    m_stateDock = new StateDock(this);
    addDockWidget(Qt::RightDockWidgetArea, m_stateDock);
    m_stateDock->attachEventsView(m_eventsView);
    connect(m_stateDock, &StateDock::positionChosen, m_eventsView, &EventsView::goToPosition);
}

// The projections of the Projections pane's catalog (bundled and the store's own) feed
// the State pane's chooser (which keeps its own choice) and the preview of staged fixes;
// applied fixes re-fold the projections.
void MainWindow::connectProjectionPanes()
{
    ProjectionCatalog* catalog = m_projectionsDock->catalog();
    const auto shareProjections = [this, catalog] {
        const QList<QPair<QString, QString>> projections = catalog->projections();
        m_stateDock->setProjections(projections);
        m_pendingFixesDock->setProjections(projections);
    };
    connect(catalog, &ProjectionCatalog::loaded, this, shareProjections);
    connect(this, &MainWindow::correctionsApplied, m_projectionsDock->runner(), &ProjectionRunner::storeChanged);
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) resize(1400, 860);
    if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray())) {
        resizeDocks({m_streamsDock, m_eventDock}, {260, 440}, Qt::Horizontal);
        resizeDocks({m_timelineDock}, {170}, Qt::Vertical);
        resizeDocks({m_eventDock, m_stateDock}, {300, 520}, Qt::Vertical);
    }
}

void MainWindow::saveLayout()
{
    // Written off the GUI thread (QSettings syncs its file to disk); the destructor waits.
    writeSettingInBackground(QStringLiteral("window/geometry"), saveGeometry());
    writeSettingInBackground(QStringLiteral("window/state"), saveState());
}

void MainWindow::showWithFirstRows(std::function<void()> shown, int boundMilliseconds)
{
    auto showNow = [this, shown = std::move(shown), done = std::make_shared<bool>(false)] {
        if (std::exchange(*done, true)) return;
        show();
        if (shown) shown();
    };
    // (The session's check may have answered already, and cleared m_earlyListPath.)
    if (!m_awaitingFirstRows) {
        showNow();
        return;
    }
    // Whichever comes first: the rows, the list's error, the check's failure or the bound.
    // Shown in an event of its own, not inside the delivery of the rows.
    const auto showSoon = [this, showNow] { QTimer::singleShot(0, this, showNow); };
    connect(m_eventsModel, &EventsTableModel::rowsLoaded, this, showSoon, Qt::SingleShotConnection);
    connect(m_eventsModel, &EventsTableModel::queryFailed, this, showSoon, Qt::SingleShotConnection);
    connect(m_session, &StoreSession::openFailed, this, showSoon, Qt::SingleShotConnection);
    QTimer::singleShot(boundMilliseconds, this, showNow);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.front().isLocalFile()) return;
    event->acceptProposedAction();
    openPath(urls.front().toLocalFile());
}

}  // namespace chronoscope
