#include "ui/projections_dock.h"

#include "model/json_tree_model.h"
#include "model/projection_catalog.h"
#include "model/script_checker.h"
#include "ui/javascript_highlighter.h"

#include <QAction>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {
namespace {

const QString kNewScript = QStringLiteral(
    "// A new projection: the number of events of each type.\n"
    "fromAll()\n"
    "    .when({\n"
    "        $init: function () { return { total: 0, byType: {} }; },\n"
    "        $any: function (s, e) {\n"
    "            s.total += 1;\n"
    "            s.byType[e.eventType] = (s.byType[e.eventType] || 0) + 1;\n"
    "        }\n"
    "    });\n");

QPushButton* button(const QString& text, const QString& name, QWidget* parent)
{
    auto* created = new QPushButton(text, parent);
    created->setObjectName(name);
    created->setAutoDefault(false);
    return created;
}

QLabel* messageLabel(const QString& name, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
    return label;
}

}  // namespace

ProjectionsDock::ProjectionsDock(QWidget* parent)
    : LazyDockWidget(tr("Projections"), parent),
      m_catalog(new ProjectionCatalog(this)),
      m_runner(new ProjectionRunner(this)),
      m_checker(new ScriptChecker(this)),
      m_resultModel(new JsonTreeModel(this))
{
    setObjectName(QStringLiteral("projectionsDock"));
    connect(m_catalog, &ProjectionCatalog::failed, this, [this](const QString& message) {
        m_pendingSelection.clear();
        if (m_status) m_status->setText(message);
        emit statusMessage(tr("Projections: %1").arg(message));
    });
}

ProjectionsDock::~ProjectionsDock() = default;

void ProjectionsDock::buildContent()
{
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createListPart());
    splitter->addWidget(createEditorPart());
    splitter->addWidget(createResultPart());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 3);
    setWidget(splitter);

    connect(m_catalog, &QAbstractItemModel::modelReset, this, &ProjectionsDock::selectShownRow);
    connect(m_catalog, &ProjectionCatalog::loaded, this, &ProjectionsDock::updateActions);
    connect(m_catalog, &ProjectionCatalog::saved, this, [this](const QString& name) {
        emit statusMessage(tr("Saved projection %1 in the store").arg(name));
        if (m_pendingSelection == name) showProjection(std::exchange(m_pendingSelection, QString()));
        else if (name == m_name) showProjection(name);
    });
    connect(m_catalog, &ProjectionCatalog::removed, this, [this](const QString& name) {
        emit statusMessage(tr("Deleted projection %1").arg(name));
        if (name == m_name) showProjection(m_catalog->entryAt(0) ? m_catalog->entryAt(0)->name : QString());
    });
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (m_settingText) return;
        m_checker->check(m_editor->toPlainText());
        updateActions();
    });
    connect(m_checker, &ScriptChecker::checked, this, &ProjectionsDock::onChecked);
    connect(m_runner, &ProjectionRunner::started, this, &ProjectionsDock::onStarted);
    connect(m_runner, &ProjectionRunner::progressChanged, this, &ProjectionsDock::onProgress);
    connect(m_runner, &ProjectionRunner::finished, this, &ProjectionsDock::onFinished);
    connect(m_runner, &ProjectionRunner::snapshotsChecked, this, &ProjectionsDock::onSnapshotsChecked);

    auto* runAction = new QAction(tr("Run Projection"), this);
    runAction->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_Return)});
    runAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(runAction, &QAction::triggered, this, [this] { startTask(ProjectionRunner::Task::Run); });
    addAction(runAction);
    auto* saveAction = new QAction(tr("Save Projection"), this);
    saveAction->setShortcut(QKeySequence::Save);
    saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(saveAction, &QAction::triggered, this, &ProjectionsDock::save);
    addAction(saveAction);

    showProjection(m_catalog->entryAt(0) ? m_catalog->entryAt(0)->name : QString());
    showStore();
}

void ProjectionsDock::changeEvent(QEvent* event)
{
    QDockWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_highlighter) m_highlighter->updateColours();
}

QWidget* ProjectionsDock::createListPart()
{
    auto* part = new QWidget(this);
    auto* layout = new QVBoxLayout(part);
    layout->setContentsMargins(4, 4, 4, 0);
    m_list = new QListView(part);
    m_list->setObjectName(QStringLiteral("projectionsList"));
    m_list->setModel(m_catalog);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setUniformItemSizes(true);
    layout->addWidget(m_list);
    auto* buttons = new QHBoxLayout;
    m_new = button(tr("New"), QStringLiteral("newProjection"), part);
    m_save = button(tr("Save"), QStringLiteral("saveProjection"), part);
    m_saveAs = button(tr("Save As…"), QStringLiteral("saveProjectionAs"), part);
    m_delete = button(tr("Delete"), QStringLiteral("deleteProjection"), part);
    m_revert = button(tr("Revert"), QStringLiteral("revertProjection"), part);
    for (QPushButton* each : {m_new, m_save, m_saveAs, m_delete, m_revert}) buttons->addWidget(each);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { chooseRow(current); });
    connect(m_new, &QPushButton::clicked, this, &ProjectionsDock::newProjection);
    connect(m_save, &QPushButton::clicked, this, &ProjectionsDock::save);
    connect(m_saveAs, &QPushButton::clicked, this, &ProjectionsDock::saveAs);
    connect(m_delete, &QPushButton::clicked, this, &ProjectionsDock::deleteProjection);
    connect(m_revert, &QPushButton::clicked, this, &ProjectionsDock::revert);
    return part;
}

QWidget* ProjectionsDock::createEditorPart()
{
    auto* part = new QWidget(this);
    auto* layout = new QVBoxLayout(part);
    layout->setContentsMargins(4, 0, 4, 0);
    m_title = new QLabel(part);
    m_title->setObjectName(QStringLiteral("projectionTitle"));
    m_title->setMinimumWidth(1);  // a long title is cut, it does not widen the side column
    layout->addWidget(m_title);
    m_editor = new QPlainTextEdit(part);
    m_editor->setObjectName(QStringLiteral("projectionEditor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabStopDistance(4 * m_editor->fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    m_highlighter = new JavaScriptHighlighter(m_editor->document());
    layout->addWidget(m_editor, 1);
    auto* diagnosticRow = new QHBoxLayout;
    m_diagnostic = messageLabel(QStringLiteral("projectionDiagnostic"), part);
    m_diagnostic->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    diagnosticRow->addWidget(m_diagnostic, 1);
    m_goToEvent = new QToolButton(part);
    m_goToEvent->setObjectName(QStringLiteral("goToErrorEvent"));
    m_goToEvent->hide();
    connect(m_goToEvent, &QToolButton::clicked, this, [this] { emit positionChosen(m_errorPosition); });
    diagnosticRow->addWidget(m_goToEvent, 0, Qt::AlignTop);
    layout->addLayout(diagnosticRow);
    m_warnings = messageLabel(QStringLiteral("projectionWarnings"), part);
    m_warnings->setStyleSheet(QStringLiteral("color: #b26a00;"));
    layout->addWidget(m_warnings);

    auto* runRow = new QHBoxLayout;
    m_run = button(tr("Run"), QStringLiteral("runProjection"), part);
    m_run->setToolTip(tr("Fold the events not folded yet (F5)"));
    m_rebuild = button(tr("Rebuild"), QStringLiteral("rebuildProjection"), part);
    m_rebuild->setToolTip(tr("Fold every event again, from the first"));
    m_cancel = button(tr("Cancel"), QStringLiteral("cancelProjection"), part);
    m_check = button(tr("Check Snapshots"), QStringLiteral("checkSnapshots"), part);
    m_check->setToolTip(tr("Rebuild from scratch and compare with every stored snapshot of this script"));
    m_progress = new QProgressBar(part);
    m_progress->setObjectName(QStringLiteral("projectionProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QString());
    for (QPushButton* each : {m_run, m_rebuild, m_cancel}) runRow->addWidget(each);
    runRow->addWidget(m_progress, 1);
    runRow->addWidget(m_check);
    layout->addLayout(runRow);
    m_status = new QLabel(part);
    m_status->setObjectName(QStringLiteral("projectionStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_verdict = messageLabel(QStringLiteral("snapshotVerdict"), part);
    layout->addWidget(m_verdict);
    connect(m_run, &QPushButton::clicked, this, [this] { startTask(ProjectionRunner::Task::Run); });
    connect(m_rebuild, &QPushButton::clicked, this, [this] { startTask(ProjectionRunner::Task::Rebuild); });
    connect(m_check, &QPushButton::clicked, this, [this] { startTask(ProjectionRunner::Task::CheckSnapshots); });
    connect(m_cancel, &QPushButton::clicked, m_runner, &ProjectionRunner::cancel);
    return part;
}

QWidget* ProjectionsDock::createResultPart()
{
    m_resultTabs = new QTabWidget(this);
    m_resultTree = new QTreeView(m_resultTabs);
    m_resultTree->setObjectName(QStringLiteral("projectionResultTree"));
    m_resultTree->setModel(m_resultModel);
    m_resultTree->setUniformRowHeights(true);
    m_resultTree->header()->setStretchLastSection(false);
    m_resultTree->header()->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    m_resultTree->header()->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    m_resultTree->setColumnWidth(JsonTreeModel::KeyColumn, 200);
    m_raw = new QPlainTextEdit(m_resultTabs);
    m_raw->setObjectName(QStringLiteral("projectionRawResult"));
    m_raw->setReadOnly(true);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_resultTabs->addTab(m_resultTree, tr("Result"));
    m_resultTabs->addTab(m_raw, tr("Raw JSON"));
    return m_resultTabs;
}

void ProjectionsDock::setStorePath(const QString& path)
{
    m_storePath = path;
    m_runner->setStorePath(path);
    m_catalog->setStorePath(path);
    if (isContentBuilt()) showStore();
}

void ProjectionsDock::showStore()
{
    m_resultModel->setRoot(nullptr);
    m_raw->clear();
    m_status->clear();
    m_verdict->hide();
    m_progress->setValue(0);
    m_progress->setFormat(QString());
    m_runDiagnostic = {};
    showDiagnostic(m_compileDiagnostic);
    // A user projection of the store closed is gone: show the first bundled one.
    if (!m_bundled && !m_name.isEmpty()) showProjection(m_catalog->entryAt(0) ? m_catalog->entryAt(0)->name : QString());
    updateActions();
}

bool ProjectionsDock::isModified() const
{
    ensureContent();
    return m_name.isEmpty() || m_editor->toPlainText() != m_savedScript;
}

void ProjectionsDock::showProjection(const QString& name)
{
    ensureContent();
    const ProjectionCatalog::Entry* entry = m_catalog->find(name);
    m_name = entry ? entry->name : QString();
    m_bundled = entry && entry->bundled;
    m_savedScript = entry ? entry->script : kNewScript;
    m_catalog->setCurrent(m_name);
    setScriptText(m_savedScript);
    m_editor->setReadOnly(m_bundled);
    selectShownRow();
    updateActions();
}

void ProjectionsDock::setScriptText(const QString& script)
{
    m_settingText = true;
    m_editor->setPlainText(script);
    m_settingText = false;
    m_checker->checkNow(script);
}

void ProjectionsDock::chooseRow(const QModelIndex& index)
{
    const ProjectionCatalog::Entry* entry = m_catalog->entryAt(index.row());
    if (!entry || entry->name == m_name) return;
    if (!m_bundled && isModified() && m_editor->document()->isModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Projections"), tr("Discard the changes to %1?").arg(m_name.isEmpty() ? tr("the new projection") : m_name),
            QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Discard) {
            selectShownRow();
            return;
        }
    }
    showProjection(entry->name);
}

// Keeps the list's selection on the projection shown (after a reload, or a refused switch).
void ProjectionsDock::selectShownRow()
{
    const int row = m_catalog->rowOf(m_name);
    const QSignalBlocker blocker(m_list->selectionModel());
    if (row < 0) m_list->selectionModel()->clear();
    else m_list->selectionModel()->setCurrentIndex(m_catalog->index(row), QItemSelectionModel::ClearAndSelect);
    m_list->viewport()->update();
}

void ProjectionsDock::newProjection()
{
    showProjection(QString());
    m_editor->document()->setModified(true);
    m_editor->setFocus(Qt::OtherFocusReason);
}

void ProjectionsDock::showNewProjection(const QString& script)
{
    showProjection(QString());
    m_savedScript = script;
    setScriptText(script);
    m_editor->document()->setModified(true);
    updateActions();
    show();
    raise();
}

void ProjectionsDock::save()
{
    if (m_bundled || m_name.isEmpty()) {
        saveAs();
        return;
    }
    if (!m_catalog->canSave()) return;
    m_catalog->save(m_name, m_editor->toPlainText(), ProjectionCatalog::Existing::Replace);
}

void ProjectionsDock::saveAs()
{
    if (!m_catalog->canSave()) {
        QMessageBox::information(this, tr("Save Projection"),
                                 m_storePath.isEmpty() ? tr("Open a store first: projections are saved in the store.")
                                                       : tr("The store is read-only: projections cannot be saved in it."));
        return;
    }
    QString suggestion = m_name.isEmpty() ? tr("my projection") : tr("%1 (copy)").arg(m_name);
    QString problem;
    while (true) {
        bool ok = false;
        const QString label = problem.isEmpty() ? tr("Name of the projection, saved in the store:")
                                                : tr("%1\nName of the projection, saved in the store:").arg(problem);
        const QString name = QInputDialog::getText(this, tr("Save Projection As"), label, QLineEdit::Normal, suggestion, &ok);
        if (!ok) return;
        problem = m_catalog->nameProblem(name);
        if (problem.isEmpty() && m_catalog->find(name)) {
            const auto answer = QMessageBox::question(this, tr("Save Projection As"),
                                                      tr("%1 exists already. Replace it?").arg(name));
            if (answer != QMessageBox::Yes) return;
        }
        if (problem.isEmpty()) {
            m_pendingSelection = name;
            m_catalog->save(name, m_editor->toPlainText(), ProjectionCatalog::Existing::Replace);
            return;
        }
        suggestion = name;
    }
}

void ProjectionsDock::deleteProjection()
{
    if (m_bundled || m_name.isEmpty()) return;
    const auto answer = QMessageBox::question(this, tr("Delete Projection"),
                                              tr("Delete projection %1 from the store?").arg(m_name));
    if (answer == QMessageBox::Yes) m_catalog->remove(m_name);
}

void ProjectionsDock::revert()
{
    setScriptText(m_savedScript);
    m_editor->document()->setModified(false);
    updateActions();
}

void ProjectionsDock::updateActions()
{
    const bool busy = m_runner->isBusy();
    const bool modified = isModified();
    const bool canRun = !m_storePath.isEmpty() && !busy;
    m_run->setEnabled(canRun);
    m_rebuild->setEnabled(canRun);
    m_check->setEnabled(canRun);
    m_cancel->setEnabled(busy);
    m_save->setEnabled(m_catalog->canSave() && !m_bundled && modified);
    m_saveAs->setEnabled(m_catalog->canSave());
    m_delete->setEnabled(m_catalog->canSave() && !m_bundled && !m_name.isEmpty());
    m_revert->setEnabled(!m_bundled && !m_name.isEmpty() && modified);
    const QString shown = m_name.isEmpty() ? tr("New projection (not saved)") : m_name;
    m_title->setText(m_bundled ? tr("<b>%1</b> — bundled, read-only: Save As makes a copy you can edit").arg(shown.toHtmlEscaped())
                               : tr("<b>%1</b>%2").arg(shown.toHtmlEscaped(), modified && !m_name.isEmpty() ? tr(" — modified") : QString()));
}

}  // namespace chronoscope
