#include "ui/pending_fixes_dock.h"

#include "model/correction_applier.h"
#include "model/pending_fixes.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

#include <numeric>

namespace chronoscope {
namespace {

constexpr int kPreviewDelayMilliseconds = 300;

QPlainTextEdit* makeSide(const QString& name, QWidget* parent)
{
    auto* side = new QPlainTextEdit(parent);
    side->setObjectName(name);
    side->setReadOnly(true);
    side->setLineWrapMode(QPlainTextEdit::NoWrap);
    side->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return side;
}

// Shows `lines` with the changed ones highlighted in `colour`.
void fillSide(QPlainTextEdit* side, const QList<PreviewLine>& lines, const QColor& colour)
{
    QStringList text;
    text.reserve(lines.size());
    for (const PreviewLine& line : lines) text.append(line.text);
    side->setPlainText(text.join(QLatin1Char('\n')));
    QList<QTextEdit::ExtraSelection> highlights;
    int firstChanged = -1;
    for (int index = 0; index < lines.size(); ++index) {
        if (!lines[index].changed) continue;
        if (firstChanged < 0) firstChanged = index;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(side->document()->findBlockByNumber(index));
        selection.format.setBackground(colour);
        selection.format.setForeground(QColor(Qt::black));  // readable in the dark palette too
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        highlights.append(selection);
    }
    side->setExtraSelections(highlights);
    if (firstChanged >= 0) {
        side->setTextCursor(QTextCursor(side->document()->findBlockByNumber(firstChanged)));
        side->centerCursor();
    }
}

}  // namespace

PendingFixesDock::PendingFixesDock(PendingFixesModel* model, QWidget* parent)
    : LazyDockWidget(tr("Pending Fixes"), parent),
      m_model(model),
      m_runner(new CorrectionPreviewRunner(this)),
      m_applier(new CorrectionApplier(this)),
      m_previewTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("pendingFixesDock"));
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(kPreviewDelayMilliseconds);
    connect(m_previewTimer, &QTimer::timeout, this, &PendingFixesDock::preview);
    connect(model, &PendingFixesModel::fixesChanged, this, [this] {
        if (m_model->isEmpty()) {
            m_previewTimer->stop();
            m_runner->cancel();
            if (isContentBuilt()) showResult({});
        } else {
            m_previewWanted = true;
            m_previewTimer->start();
        }
        if (isContentBuilt()) updateButtons();
    });
    // What the runner and the applier report is shown: the widgets are made for it.
    connect(m_runner, &CorrectionPreviewRunner::started, this, [this] {
        ensureContent();
        m_progress->setValue(0);
        showMessage(tr("Computing the preview…"), false);
        updateButtons();
    });
    connect(m_runner, &CorrectionPreviewRunner::progress, this, [this](int value) {
        ensureContent();
        m_progress->setValue(value);
    });
    connect(m_runner, &CorrectionPreviewRunner::finished, this, [this](const QList<ProjectionPreviewView>& projections) {
        ensureContent();
        showResult(projections);
        updateButtons();
    });
    connect(m_runner, &CorrectionPreviewRunner::failed, this, [this](const QString& message) {
        ensureContent();
        showMessage(tr("Cannot preview: %1").arg(message), true);
        updateButtons();
    });
    connect(m_runner, &CorrectionPreviewRunner::cancelled, this, [this] {
        if (!isContentBuilt()) return;  // a preview never started, or of fixes never shown
        showMessage(tr("Preview cancelled"), false);
        updateButtons();
    });
    connect(m_applier, &CorrectionApplier::applied, this, [this](int corrections) {
        m_model->clear();
        ensureContent();
        showMessage(tr("Applied %n correction(s)", nullptr, corrections), false);
        emit statusMessage(tr("Applied %n correction(s); the projections rebuild from the last snapshot before the "
                              "earliest fix", nullptr, corrections));
        updateButtons();
        emit correctionsApplied();
    });
    connect(m_applier, &CorrectionApplier::failed, this, [this](const QString& message) {
        ensureContent();
        showMessage(tr("Nothing was written: %1").arg(message), true);
        updateButtons();
    });
}

void PendingFixesDock::buildContent()
{
    auto* splitter = new QSplitter(Qt::Vertical, this);

    auto* top = new QWidget(splitter);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(4, 4, 4, 4);
    m_fixes = new QListView(top);
    m_fixes->setObjectName(QStringLiteral("pendingFixesList"));
    m_fixes->setModel(m_model);
    m_fixes->setSelectionMode(QAbstractItemView::ExtendedSelection);
    topLayout->addWidget(m_fixes, 1);
    auto* buttons = new QHBoxLayout;
    m_revert = new QPushButton(tr("&Revert Selected"), top);
    m_preview = new QPushButton(tr("Pre&view"), top);
    m_apply = new QPushButton(tr("&Apply…"), top);
    m_cancel = new QPushButton(tr("Cancel"), top);
    m_progress = new QProgressBar(top);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(160);
    m_progress->setFormat(tr("preview %p%"));
    for (QWidget* widget : {static_cast<QWidget*>(m_revert), static_cast<QWidget*>(m_preview), static_cast<QWidget*>(m_apply)})
        buttons->addWidget(widget);
    buttons->addStretch(1);
    buttons->addWidget(m_progress);
    buttons->addWidget(m_cancel);
    topLayout->addLayout(buttons);
    m_message = new QLabel(top);
    m_message->setObjectName(QStringLiteral("pendingFixesMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    topLayout->addWidget(m_message);

    auto* bottom = new QWidget(splitter);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(4, 0, 4, 4);
    m_projection = new QComboBox(bottom);
    m_projection->setObjectName(QStringLiteral("previewProjection"));
    bottomLayout->addWidget(m_projection);
    auto* sides = new QSplitter(Qt::Horizontal, bottom);
    auto* beforeBox = new QWidget(sides);
    auto* beforeLayout = new QVBoxLayout(beforeBox);
    beforeLayout->setContentsMargins(0, 0, 0, 0);
    beforeLayout->addWidget(new QLabel(tr("<b>Before</b>"), beforeBox));
    m_before = makeSide(QStringLiteral("previewBefore"), beforeBox);
    beforeLayout->addWidget(m_before);
    auto* afterBox = new QWidget(sides);
    auto* afterLayout = new QVBoxLayout(afterBox);
    afterLayout->setContentsMargins(0, 0, 0, 0);
    afterLayout->addWidget(new QLabel(tr("<b>After the fixes</b>"), afterBox));
    m_after = makeSide(QStringLiteral("previewAfter"), afterBox);
    afterLayout->addWidget(m_after);
    // Before | after above the list of changes, resizable.
    auto* details = new QSplitter(Qt::Vertical, bottom);
    details->addWidget(sides);
    bottomLayout->addWidget(details, 1);
    m_changes = new QListWidget(details);
    m_changes->setObjectName(QStringLiteral("previewChanges"));
    m_changes->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    details->addWidget(m_changes);
    details->setStretchFactor(0, 3);
    details->setStretchFactor(1, 1);
    m_fixes->setMinimumHeight(fontMetrics().height() * 3);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({fontMetrics().height() * 9, fontMetrics().height() * 40});
    setWidget(splitter);

    connect(m_fixes->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PendingFixesDock::updateButtons);
    connect(m_revert, &QPushButton::clicked, this, &PendingFixesDock::revertSelected);
    connect(m_preview, &QPushButton::clicked, this, &PendingFixesDock::preview);
    connect(m_apply, &QPushButton::clicked, this, &PendingFixesDock::askReasonAndApply);
    connect(m_cancel, &QPushButton::clicked, m_runner, &CorrectionPreviewRunner::cancel);
    connect(m_projection, &QComboBox::currentIndexChanged, this, &PendingFixesDock::showProjection);
    showResult({});
    updateButtons();
}

void PendingFixesDock::setStorePath(const QString& path)
{
    m_storePath = path;
    m_runner->setStorePath(path);
    m_model->clear();
    if (!isContentBuilt()) return;
    showResult({});
    m_message->clear();
}

void PendingFixesDock::setProjections(const QList<QPair<QString, QString>>& nameAndScript)
{
    m_runner->setProjections(nameAndScript);
    if (!m_model->isEmpty() && m_previewWanted) m_previewTimer->start();
}

void PendingFixesDock::preview()
{
    m_previewTimer->stop();
    // While fixes are applied the pane shows that, then its outcome; no preview overwrites it.
    if (m_model->isEmpty() || m_applier->isRunning()) return;
    m_runner->start(m_model->requests());
}

void PendingFixesDock::askReasonAndApply()
{
    if (m_model->isEmpty() || m_applier->isRunning()) return;
    QString reason;
    while (reason.trimmed().isEmpty()) {
        bool ok = false;
        reason = QInputDialog::getText(this, tr("Apply Fixes"),
                                       tr("Why are these %n fix(es) needed? (recorded in $corrections)", nullptr,
                                          static_cast<int>(m_model->fixes().size())),
                                       QLineEdit::Normal, reason, &ok);
        if (!ok) return;
    }
    apply(reason);
}

void PendingFixesDock::apply(const QString& reason)
{
    if (m_model->isEmpty() || m_applier->isRunning()) return;
    ensureContent();
    // A preview due after the fixes changed, or after projections arrive, would hide the
    // apply's message.
    m_previewTimer->stop();
    m_previewWanted = false;
    m_runner->cancel();
    showMessage(tr("Applying…"), false);
    m_applier->apply(m_storePath, m_model->requests(), reason);
    updateButtons();
}

void PendingFixesDock::revertSelected()
{
    QList<int> rows;
    for (const QModelIndex& index : m_fixes->selectionModel()->selectedRows()) rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (int row : rows) m_model->revertFix(row);
}

void PendingFixesDock::updateButtons()
{
    const bool busy = m_applier->isRunning();
    m_revert->setEnabled(!busy && m_fixes->selectionModel()->hasSelection());
    m_preview->setEnabled(!busy && !m_model->isEmpty() && !m_storePath.isEmpty());
    m_apply->setEnabled(!busy && !m_model->isEmpty() && !m_storePath.isEmpty());
    m_cancel->setVisible(m_runner->isRunning());
    m_progress->setVisible(m_runner->isRunning());
}

void PendingFixesDock::showResult(const QList<ProjectionPreviewView>& projections)
{
    m_shown = projections;
    const QSignalBlocker blocker(m_projection);
    const QString previous = m_projection->currentData().toString();
    m_projection->clear();
    int chosen = 0;
    int changedProjections = 0;
    for (int index = 0; index < projections.size(); ++index) {
        const ProjectionPreviewView& projection = projections[index];
        QString label = projection.error.isEmpty()
                            ? tr("%1 — %n change(s)", nullptr, static_cast<int>(projection.changes.size())).arg(projection.name)
                            : tr("%1 — failed").arg(projection.name);
        m_projection->addItem(label, projection.name);
        if (!projection.changes.isEmpty()) ++changedProjections;
        if (projection.name == previous) chosen = index;
    }
    // Keep the projection shown before; else the first one the fixes change.
    if (previous.isEmpty() || m_projection->findData(previous) < 0) {
        for (int index = 0; index < projections.size(); ++index) {
            if (!projections[index].changes.isEmpty()) {
                chosen = index;
                break;
            }
        }
    }
    m_projection->setCurrentIndex(projections.isEmpty() ? -1 : chosen);
    showProjection(m_projection->currentIndex());
    if (!projections.isEmpty()) {
        const qint64 folded = std::accumulate(projections.begin(), projections.end(), qint64(0),
                                              [](qint64 sum, const ProjectionPreviewView& view) { return sum + view.eventsRead; });
        const bool fromSnapshots = std::any_of(projections.begin(), projections.end(),
                                               [](const ProjectionPreviewView& view) { return view.snapshotPosition > 0; });
        showMessage(tr("Preview: the fixes change %n of the projections (%1 events folded, before and after, %2)", nullptr,
                       changedProjections)
                        .arg(QLocale().toString(folded),
                             fromSnapshots ? tr("from the last snapshot before the earliest fix")
                                           : tr("from the start: no snapshot before the earliest fix")),
                    false);
    }
}

void PendingFixesDock::showProjection(int index)
{
    m_changes->clear();
    if (index < 0 || index >= m_shown.size()) {
        m_before->clear();
        m_after->clear();
        return;
    }
    const ProjectionPreviewView& projection = m_shown[index];
    if (!projection.error.isEmpty()) {
        m_before->setPlainText(projection.error);
        m_after->clear();
        return;
    }
    fillSide(m_before, projection.before, QColor(255, 205, 210));
    fillSide(m_after, projection.after, QColor(200, 230, 201));
    if (projection.changes.isEmpty()) m_changes->addItem(tr("No change to this projection"));
    else m_changes->addItems(projection.changes);
}

void PendingFixesDock::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

}  // namespace chronoscope
