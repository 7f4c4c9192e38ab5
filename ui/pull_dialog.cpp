#include "ui/pull_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QVBoxLayout>

namespace chronoscope {

PullDialog::PullDialog(const QString& storePath, QWidget* parent)
    : QDialog(parent), m_conninfo(new QLineEdit(this)), m_source(new QComboBox(this)), m_schema(new QLineEdit(this)),
      m_store(new QLineEdit(this))
{
    setWindowTitle(tr("Pull from PostgreSQL"));
    QSettings settings;
    m_conninfo->setObjectName(QStringLiteral("conninfo"));
    m_conninfo->setPlaceholderText(QStringLiteral("host=db.internal dbname=shop user=reader"));
    m_conninfo->setText(settings.value(QStringLiteral("pull/conninfo")).toString());
    m_conninfo->setMinimumWidth(420);
    m_source->addItem(tr("Marten (mt_events)"), QStringLiteral("marten"));
    m_source->addItem(tr("message-db (message_store.messages)"), QStringLiteral("message-db"));
    m_source->setCurrentIndex(qMax(0, m_source->findData(settings.value(QStringLiteral("pull/source")))));
    m_schema->setPlaceholderText(tr("default: public (Marten), message_store (message-db)"));
    m_schema->setText(settings.value(QStringLiteral("pull/schema")).toString());
    m_store->setText(storePath);
    m_store->setPlaceholderText(tr("a store file; created when missing"));

    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &PullDialog::chooseStore);
    auto* storeRow = new QHBoxLayout;
    storeRow->addWidget(m_store);
    storeRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("&Connection:"), m_conninfo);
    form->addRow(tr("&Source:"), m_source);
    form->addRow(tr("S&chema:"), m_schema);
    form->addRow(tr("Into store:"), storeRow);
    auto* note = new QLabel(tr("Only events new since the last pull from this source are read; a pull is all or "
                               "nothing. The password is not remembered."),
                            this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Pull"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        QSettings settings;
        // Remember the connection without a password=... part.
        QString remembered = m_conninfo->text();
        remembered.remove(QRegularExpression(QStringLiteral("\\bpassword\\s*=\\s*('[^']*'|\\S+)")));
        settings.setValue(QStringLiteral("pull/conninfo"), remembered.simplified());
        settings.setValue(QStringLiteral("pull/source"), m_source->currentData());
        settings.setValue(QStringLiteral("pull/schema"), m_schema->text());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    auto acceptable = [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_conninfo->text().trimmed().isEmpty() &&
                                                          !m_store->text().trimmed().isEmpty());
    };
    connect(m_conninfo, &QLineEdit::textChanged, this, acceptable);
    connect(m_store, &QLineEdit::textChanged, this, acceptable);
    acceptable();
}

PullRequest PullDialog::request() const
{
    return {m_store->text().trimmed(), m_conninfo->text().trimmed(), m_source->currentData().toString(),
            m_schema->text().trimmed()};
}

void PullDialog::chooseStore()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Pull into Store"), m_store->text(),
                                                      tr("Event stores (*.chrono);;All files (*)"), nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty()) m_store->setText(path);
}

}  // namespace chronoscope
