// The Projections pane's running half: compile results, runs, progress, results and the
// snapshot check (the pane is declared in projections_dock.h).

#include "ui/projections_dock.h"

#include "model/json_tree_model.h"

#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBlock>
#include <QToolButton>

namespace chronoscope {

void ProjectionsDock::startTask(ProjectionRunner::Task task)
{
    if (m_storePath.isEmpty() || m_runner->isBusy()) return;
    m_runner->setProjection(m_name.isEmpty() ? tr("new projection") : m_name, m_editor->toPlainText());
    bool started = false;
    switch (task) {
    case ProjectionRunner::Task::Run: started = m_runner->run(); break;
    case ProjectionRunner::Task::Rebuild: started = m_runner->rebuild(); break;
    case ProjectionRunner::Task::CheckSnapshots: started = m_runner->checkSnapshots(); break;
    default: break;
    }
    if (started && task == ProjectionRunner::Task::CheckSnapshots) m_verdict->hide();
}

void ProjectionsDock::onChecked(const QString& script, const ProjectionDiagnostic& diagnostic, const QStringList& warnings)
{
    if (script != m_editor->toPlainText()) return;  // typed on since
    m_compileDiagnostic = diagnostic;
    // A run's error belongs to the script it ran: a new compile result replaces it.
    m_runDiagnostic = {};
    showDiagnostic(diagnostic);
    m_warnings->setVisible(!warnings.isEmpty());
    m_warnings->setText(warnings.isEmpty() ? QString() : tr("Warning: %1").arg(warnings.join(QStringLiteral("\nWarning: "))));
}

void ProjectionsDock::showDiagnostic(const ProjectionDiagnostic& diagnostic)
{
    m_diagnostic->setVisible(diagnostic.isError());
    m_diagnostic->setText(diagnostic.describe());
    m_errorPosition = diagnostic.position;
    m_goToEvent->setVisible(diagnostic.position > 0);
    m_goToEvent->setText(tr("Go to Event %1").arg(diagnostic.position));
    underline(diagnostic.isError() ? diagnostic.line : 0, diagnostic.column);
}

// A red wave under the error's line (its text, without the indentation); the label
// says the column.
void ProjectionsDock::underline(int line, int column)
{
    Q_UNUSED(column);
    m_underlinedLine = 0;
    QList<QTextEdit::ExtraSelection> selections;
    const QTextBlock block = line > 0 ? m_editor->document()->findBlockByNumber(line - 1) : QTextBlock();
    if (block.isValid()) {
        m_underlinedLine = line;
        QTextEdit::ExtraSelection selection;
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(QColor(0xd3, 0x2f, 0x2f));
        selection.format.setToolTip(m_diagnostic->text());
        const QString text = block.text();
        int from = 0;
        while (from < text.size() && text.at(from).isSpace()) ++from;
        if (from >= text.size()) from = 0;
        QTextCursor cursor(block);
        cursor.setPosition(block.position() + from);
        // An empty line gets one character's worth, so the wave shows.
        const int documentEnd = m_editor->document()->characterCount() - 1;
        cursor.setPosition(std::min(block.position() + std::max(int(text.size()), from + 1), documentEnd),
                           QTextCursor::KeepAnchor);
        selection.cursor = cursor;
        selections << selection;
    }
    m_editor->setExtraSelections(selections);
}

void ProjectionsDock::onStarted(ProjectionRunner::Task task)
{
    Q_UNUSED(task);
    m_progress->setRange(0, 0);  // busy until the events are counted
    m_progress->setFormat(QString());
    m_status->setText(task == ProjectionRunner::Task::CheckSnapshots ? tr("Checking snapshots…")
                      : task == ProjectionRunner::Task::Live         ? tr("The store changed: folding…")
                                                                     : tr("Folding…"));
    updateActions();
}

void ProjectionsDock::onProgress(qint64 done, qint64 total, double eventsPerSecond)
{
    const QLocale locale;
    const QString rate = eventsPerSecond > 0 ? tr(" · %1 events/s").arg(locale.toString(qRound64(eventsPerSecond))) : QString();
    if (total < 0) {
        m_progress->setRange(0, 0);
        m_progress->setFormat(QString());
        if (done > 0) m_status->setText(tr("%1 events%2").arg(locale.toString(done), rate));
        return;
    }
    m_progress->setRange(0, 1000);
    m_progress->setValue(total > 0 ? int(std::min<qint64>(1000, done * 1000 / total)) : 1000);
    m_progress->setFormat(total > 0 ? QStringLiteral("%p%") : tr("nothing to fold"));
    m_status->setText(tr("%1 of %2 events%3").arg(locale.toString(done), locale.toString(total), rate));
}

void ProjectionsDock::onFinished(const ProjectionRunner::Outcome& outcome)
{
    const QLocale locale;
    updateActions();
    if (outcome.error.isError()) {
        m_progress->setRange(0, 1000);
        if (outcome.error.cancelled) {
            m_status->setText(tr("Cancelled after %1 events: Run goes on from there").arg(locale.toString(outcome.eventsReadTotal)));
            return;
        }
        m_status->setText(outcome.task == ProjectionRunner::Task::Live ? tr("The live update failed; the result shown is older")
                                                                      : tr("Failed"));
        m_runDiagnostic = outcome.error;
        showDiagnostic(outcome.error);
        return;
    }
    m_progress->setRange(0, 1000);
    m_progress->setValue(1000);
    m_progress->setFormat(QStringLiteral("%p%"));
    if (m_runDiagnostic.isError()) {
        m_runDiagnostic = {};
        showDiagnostic(m_compileDiagnostic);
    }
    const double rate = outcome.seconds > 0 ? double(outcome.eventsRead) / outcome.seconds : 0;
    QString text = tr("Folded %1 events in %2 s").arg(locale.toString(outcome.eventsRead), locale.toString(outcome.seconds, 'f', 2));
    if (rate > 0) text += tr(" (%1 events/s)").arg(locale.toString(qRound64(rate)));
    if (outcome.refolded) text += tr("; a correction re-folded from snapshot %1").arg(outcome.snapshotId);
    else if (outcome.snapshotId > 0) text += tr("; started from snapshot %1").arg(outcome.snapshotId);
    if (outcome.snapshotsSaved > 0) text += tr("; %n snapshot(s) stored", nullptr, int(outcome.snapshotsSaved));
    if (outcome.resultMembers > ProjectionRunner::kTreeMembers)
        text += tr(". The tree shows the first %1 of %2 entries").arg(locale.toString(ProjectionRunner::kTreeMembers),
                                                                      locale.toString(outcome.resultMembers));
    m_status->setText(text);
    m_resultModel->setRoot(outcome.resultTree);
    m_raw->setPlainText(outcome.resultPreview);
    if (!outcome.warnings.isEmpty() && m_warnings->isHidden()) {
        m_warnings->setText(tr("Warning: %1").arg(outcome.warnings.join(QStringLiteral("\nWarning: "))));
        m_warnings->show();
    }
}

void ProjectionsDock::onSnapshotsChecked(const ProjectionRunner::DivergenceOutcome& outcome)
{
    updateActions();
    m_progress->setRange(0, 1000);
    m_progress->setValue(outcome.error.isError() ? 0 : 1000);
    m_status->clear();
    QString verdict;
    QString colour = QStringLiteral("#2e7d32");
    if (outcome.error.isError()) {
        verdict = outcome.error.cancelled ? tr("Snapshot check cancelled") : tr("Snapshot check failed: %1").arg(outcome.error.describe());
        colour = QStringLiteral("#d32f2f");
    } else if (outcome.snapshots == 0) {
        verdict = tr("No stored snapshots of this script to check: Run or Rebuild it on a writable store to take some.");
        colour = QString();
    } else if (outcome.divergences.isEmpty()) {
        verdict = tr("✔ All %1 snapshot(s) checked agree with a rebuild from scratch").arg(outcome.checked);
        if (outcome.unchecked > 0) verdict += tr(" (%1 not reproducible in any view, not checked)").arg(outcome.unchecked);
        verdict += tr(" — %1 s").arg(QLocale().toString(outcome.seconds, 'f', 2));
    } else {
        QStringList where;
        for (const ProjectionRunner::Divergence& divergence : outcome.divergences.mid(0, 5))
            where << tr("snapshot %1 at event %2").arg(divergence.snapshotId).arg(divergence.position);
        verdict = tr("✘ %1 of %2 checked snapshot(s) differ from a rebuild (%3%4): the projection is not deterministic, "
                     "or its snapshots are damaged")
                      .arg(outcome.divergences.size())
                      .arg(outcome.checked)
                      .arg(where.join(QStringLiteral(", ")), outcome.divergences.size() > 5 ? tr(", …") : QString());
        colour = QStringLiteral("#d32f2f");
    }
    m_verdict->setStyleSheet(colour.isEmpty() ? QString() : QStringLiteral("color: %1;").arg(colour));
    m_verdict->setText(verdict);
    m_verdict->show();
}

}  // namespace chronoscope
