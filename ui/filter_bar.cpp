#include "ui/filter_bar.h"

#include "model/filter_check.h"
#include "model/settings_writer.h"
#include "ui/clear_button.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace chronoscope {
namespace {

constexpr int kRecentFilters = 20;
const QString kRecentFiltersKey = QStringLiteral("filter/recent");

}  // namespace

FilterBar::FilterBar(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto* label = new QLabel(tr("&Filter:"), this);
    m_expression = new QComboBox(this);
    m_expression->setObjectName(QStringLiteral("filterExpression"));
    m_expression->setEditable(true);
    m_expression->setInsertPolicy(QComboBox::NoInsert);
    m_expression->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // Room for a short expression at the least: the bar's minimum width is the Events
    // pane's, which the side panes give way to.
    m_expression->setMinimumContentsLength(12);
    m_expression->lineEdit()->setPlaceholderText(
        tr("type == \"PaymentReceived\" && data.amount > 100    (Enter to apply)"));
    m_expression->addItems(QSettings().value(kRecentFiltersKey).toStringList());
    m_expression->setCurrentIndex(-1);
    label->setBuddy(m_expression);
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setObjectName(QStringLiteral("filterApply"));
    m_clear = new QPushButton(tr("Clear"), this);
    auto* findPrevious = new QPushButton(tr("◀ Find"), this);
    findPrevious->setToolTip(tr("Select the previous event matching the expression, without filtering (Shift+F3)"));
    auto* findNext = new QPushButton(tr("Find ▶"), this);
    findNext->setToolTip(tr("Select the next event matching the expression, without filtering (F3)"));
    connect(findPrevious, &QPushButton::clicked, this, [this] { emit findRequested(true); });
    connect(findNext, &QPushButton::clicked, this, [this] { emit findRequested(false); });
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("filterMessage"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMinimumWidth(1);  // a long error is cut here (and whole in the tooltip), it never widens the window
    layout->addWidget(label);
    layout->addWidget(m_expression, 1);
    layout->addWidget(m_apply);
    layout->addWidget(m_clear);
    layout->addWidget(findPrevious);
    layout->addWidget(findNext);
    layout->addWidget(m_message);

    connect(m_expression, &QComboBox::editTextChanged, this, &FilterBar::check);
    enableClearButtonWithFirstText(m_expression->lineEdit());
    connect(m_expression->lineEdit(), &QLineEdit::returnPressed, this, &FilterBar::apply);
    connect(m_expression, &QComboBox::activated, this, [this] { apply(); });
    connect(m_apply, &QPushButton::clicked, this, &FilterBar::apply);
    connect(m_clear, &QPushButton::clicked, this, [this] {
        setText({});
        apply();
    });
}

QString FilterBar::text() const { return m_expression->currentText(); }

void FilterBar::setText(const QString& text) { m_expression->setEditText(text); }

QLineEdit* FilterBar::lineEdit() const { return m_expression->lineEdit(); }

void FilterBar::focusExpression()
{
    m_expression->setFocus(Qt::ShortcutFocusReason);
    m_expression->lineEdit()->selectAll();
}

void FilterBar::check(const QString& text)
{
    QPalette palette = m_expression->lineEdit()->palette();
    palette.setColor(QPalette::Base, QPalette().color(QPalette::Base));
    palette.setColor(QPalette::Text, QPalette().color(QPalette::Text));
    if (text.trimmed().isEmpty()) {
        m_valid = true;
        m_message->clear();
        m_expression->lineEdit()->setPalette(palette);
        m_apply->setEnabled(true);
        return;
    }
    const FilterCheck result = checkFilter(text);
    m_valid = result.valid;
    const bool dark = QPalette().color(QPalette::Base).lightness() < 128;
    const QColor good = dark ? QColor(0x1f, 0x4d, 0x2b) : QColor(0xd8, 0xf5, 0xd0);
    const QColor bad = dark ? QColor(0x5c, 0x1f, 0x1f) : QColor(0xfa, 0xd4, 0xd4);
    palette.setColor(QPalette::Base, m_valid ? good : bad);
    m_expression->lineEdit()->setPalette(palette);
    m_apply->setEnabled(m_valid);
    if (m_valid) {
        m_message->clear();
        m_expression->lineEdit()->setToolTip({});
    } else {
        const QString message = result.column > 0 ? tr("Column %1: %2").arg(result.column).arg(result.message)
                                                  : result.message;
        m_message->setText(message);
        m_expression->lineEdit()->setToolTip(message);
        m_errorColumn = result.column;
    }
}

void FilterBar::apply()
{
    const QString expression = text().trimmed();
    check(expression);
    if (!m_valid) {
        // Put the cursor where the error is.
        if (m_errorColumn > 0) m_expression->lineEdit()->setCursorPosition(m_errorColumn - 1);
        return;
    }
    if (!expression.isEmpty()) remember(expression);
    emit filterApplied(expression);
}

void FilterBar::remember(const QString& expression)
{
    // The list is the combo box's (read from the settings at the start), written off the
    // GUI thread (QSettings syncs its file to disk).
    QStringList recent;
    for (int i = 0; i < m_expression->count(); ++i) recent.append(m_expression->itemText(i));
    recent.removeAll(expression);
    recent.prepend(expression);
    while (recent.size() > kRecentFilters) recent.removeLast();
    writeSettingInBackground(kRecentFiltersKey, recent);
    const QSignalBlocker blocker(m_expression);
    m_expression->clear();
    m_expression->addItems(recent);
    m_expression->setEditText(expression);
}

}  // namespace chronoscope
