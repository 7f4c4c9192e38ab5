#include "ui/insert_event_dialog.h"

#include "model/json_check.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace chronoscope {

InsertEventDialog::InsertEventDialog(qint64 after, const QString& targetStream, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Insert Corrective Event After #%1").arg(after));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The event is staged: it is written, after event %1 in the logical order, only when "
                                "you apply the pending fixes.").arg(after), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_type = new QLineEdit(this);
    m_type->setObjectName(QStringLiteral("insertType"));
    m_type->setPlaceholderText(tr("e.g. RefundIssued"));
    m_stream = new QLineEdit(targetStream, this);
    m_stream->setObjectName(QStringLiteral("insertStream"));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_data = new QPlainTextEdit(QStringLiteral("{\n  \n}"), this);
    m_data->setObjectName(QStringLiteral("insertData"));
    m_data->setFont(fixed);
    m_metadata = new QPlainTextEdit(this);
    m_metadata->setObjectName(QStringLiteral("insertMetadata"));
    m_metadata->setFont(fixed);
    m_metadata->setPlaceholderText(tr("optional, e.g. {\"correlationId\": \"…\"}"));
    m_metadata->setMaximumHeight(fontMetrics().height() * 5);
    form->addRow(tr("&Type:"), m_type);
    form->addRow(tr("&Stream:"), m_stream);
    form->addRow(tr("&Data (JSON):"), m_data);
    form->addRow(tr("&Metadata (JSON):"), m_metadata);
    layout->addLayout(form, 1);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("insertProblem"));
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Stage"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_valid) accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_type, &QLineEdit::textChanged, this, &InsertEventDialog::validate);
    connect(m_stream, &QLineEdit::textChanged, this, &InsertEventDialog::validate);
    connect(m_data, &QPlainTextEdit::textChanged, this, &InsertEventDialog::validate);
    connect(m_metadata, &QPlainTextEdit::textChanged, this, &InsertEventDialog::validate);
    resize(560, 460);
    validate();
    m_type->setFocus();
}

QString InsertEventDialog::type() const { return m_type->text().trimmed(); }
QString InsertEventDialog::stream() const { return m_stream->text().trimmed(); }
QString InsertEventDialog::data() const { return m_data->toPlainText(); }
QString InsertEventDialog::metadata() const { return m_metadata->toPlainText().trimmed(); }
QPushButton* InsertEventDialog::okButton() const { return m_buttons->button(QDialogButtonBox::Ok); }

void InsertEventDialog::validate()
{
    QString problem;
    if (type().isEmpty()) {
        problem = tr("Type: required");
    } else if (stream().isEmpty()) {
        problem = tr("Stream: required");
    } else if (stream().startsWith(QLatin1Char('$'))) {
        problem = tr("Stream: %1 is a system stream; choose a user stream").arg(stream());
    } else if (const JsonCheck data = checkJson(m_data->toPlainText()); !data.valid) {
        problem = tr("Data: %1").arg(data.message);
    } else if (const JsonCheck metadata = checkJson(m_metadata->toPlainText(), EmptyJson::Allowed); !metadata.valid) {
        problem = tr("Metadata: %1").arg(metadata.message);
    }
    m_valid = problem.isEmpty();
    okButton()->setEnabled(m_valid);
    m_problem->setText(m_valid ? tr("✓ Valid") : problem);
    m_problem->setStyleSheet(m_valid ? QStringLiteral("color: #2e7d32;") : QStringLiteral("color: #c62828;"));
}

}  // namespace chronoscope
