#include "ui/event_dock_fields.h"

#include "model/event_details.h"
#include "model/event_format.h"
#include "ui/steady_text.h"

#include <QAction>
#include <QClipboard>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace chronoscope {
namespace {

// The colours the fields have always had (readable on the light and the dark palette).
const QColor kNameColour(0x80, 0x80, 0x80);
const QColor kIgnoredColour(0xc0, 0x39, 0x2b);
const QColor kCorrectiveColour(0xb9, 0x77, 0x0e);

QLabel* makeLabel(QWidget* parent, Qt::TextInteractionFlags flags = Qt::NoTextInteraction)
{
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(flags);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    return label;
}

void setColour(QLabel* label, const QColor& colour)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, colour);
    label->setPalette(palette);
}

void setBold(QLabel* label)
{
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
}

// Sets only what changed: an unchanged label is neither laid out nor repainted.
void setText(QLabel* label, const QString& text)
{
    if (label->text() != text) label->setText(text);
}

void setShown(QWidget* widget, bool shown)
{
    if (widget->isHidden() == shown) widget->setVisible(shown);
}

}  // namespace

EventFieldsLabel::EventFieldsLabel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("eventFields"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    m_message = makeLabel(this, Qt::TextSelectableByMouse);
    m_message->setObjectName(QStringLiteral("eventFieldsMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    m_heading = new QWidget(this);
    auto* heading = new QHBoxLayout(m_heading);
    heading->setContentsMargins(0, 0, 0, 0);
    heading->setSpacing(0);
    m_type = makeLabel(m_heading, Qt::TextSelectableByMouse);
    m_type->setObjectName(QStringLiteral("eventFieldsType"));
    m_type->setWordWrap(true);
    setBold(m_type);
    m_ignored = makeLabel(m_heading);
    m_ignored->setText(QLatin1Char(' ') + tr("ignored"));
    setBold(m_ignored);
    setColour(m_ignored, kIgnoredColour);
    m_corrective = makeLabel(m_heading);
    m_corrective->setText(QLatin1Char(' ') + tr("corrective"));
    setBold(m_corrective);
    setColour(m_corrective, kCorrectiveColour);
    m_insertedAfter = makeLabel(m_heading);
    setColour(m_insertedAfter, kCorrectiveColour);
    heading->addWidget(m_type);
    heading->addWidget(m_ignored);
    heading->addWidget(m_corrective);
    heading->addWidget(m_insertedAfter);
    heading->addStretch(1);
    layout->addWidget(m_heading);

    auto* grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    for (int field = 0; field < FieldCount; ++field) {
        m_names[field] = makeLabel(this);
        m_names[field]->setText(fieldName(Field(field)));
        setColour(m_names[field], kNameColour);
        m_values[field] = makeLabel(this, Qt::TextSelectableByMouse);
        m_values[field]->setWordWrap(true);
        grid->addWidget(m_names[field], field, 0);
        grid->addWidget(m_values[field], field, 1);
    }
    grid->setColumnStretch(1, 1);
    layout->addLayout(grid);
    layout->addStretch(1);

    auto* copy = new QAction(tr("Copy Fields"), this);
    connect(copy, &QAction::triggered, this, [this] { QGuiApplication::clipboard()->setText(text()); });
    addAction(copy);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    setMessage({});
}

QString EventFieldsLabel::fieldName(Field field)
{
    switch (field) {
    case Position: return tr("Position");
    case Stream: return tr("Stream");
    case Time: return tr("Time");
    case Recorded: return tr("Recorded");
    case Id: return tr("Id");
    case Correlation: return tr("Correlation");
    case FieldCount: break;
    }
    return {};
}

void EventFieldsLabel::setEvent(const EventDetails& details)
{
    setText(m_type, details.type);
    setShown(m_ignored, details.ignored);
    setShown(m_corrective, details.corrective);
    setShown(m_insertedAfter, details.corrective);
    if (details.corrective) setText(m_insertedAfter, tr(", inserted after %1").arg(details.after.value_or(0)));
    setText(m_values[Position], QString::number(details.position));
    setText(m_values[Stream], tr("%1 (version %2)").arg(details.stream).arg(details.version));
    setText(m_values[Time], displayTime(details.time.toStdString()) + tr(" UTC"));
    setText(m_values[Recorded], displayTime(details.recordedAt.toStdString()) + tr(" UTC"));
    setText(m_values[Id], details.id);
    setText(m_values[Correlation], details.correlationId);
    const bool correlated = !details.correlationId.isEmpty();
    setShown(m_names[Correlation], correlated);
    setShown(m_values[Correlation], correlated);
    setMessageShown(false);
}

void EventFieldsLabel::setMessage(const QString& message, bool italic)
{
    if (m_message->font().italic() != italic) {
        QFont font = m_message->font();
        font.setItalic(italic);
        m_message->setFont(font);
    }
    setText(m_message, message);
    setMessageShown(true);
}

void EventFieldsLabel::setMessageShown(bool shown)
{
    m_messageShown = shown;
    setShown(m_message, shown);
    setShown(m_heading, !shown);
    for (int field = 0; field < FieldCount; ++field) {
        const bool fieldShown = !shown && (field != Correlation || !m_values[Correlation]->text().isEmpty());
        setShown(m_names[field], fieldShown);
        setShown(m_values[field], fieldShown);
    }
}

QString EventFieldsLabel::text() const
{
    if (m_messageShown) return m_message->text() + QLatin1Char('\n');
    QString text = m_type->text();
    if (!m_ignored->isHidden()) text += m_ignored->text();
    if (!m_corrective->isHidden()) text += m_corrective->text() + m_insertedAfter->text();
    text += QLatin1Char('\n');
    for (int field = 0; field < FieldCount; ++field) {
        if (m_values[field]->isHidden()) continue;
        text += m_names[field]->text() + QLatin1Char('\t') + m_values[field]->text() + QLatin1Char('\n');
    }
    return text;
}

QScrollArea* makeEventFieldsArea(EventFieldsLabel* fields, QWidget* parent)
{
    // The height of the tallest fields, measured once with the pane's fonts and style.
    EventDetails tallest;
    tallest.type = tallest.stream = tallest.id = tallest.correlationId = QStringLiteral("M");
    tallest.ignored = tallest.corrective = true;
    fields->setEvent(tallest);
    fields->ensurePolished();
    const int height = fields->sizeHint().height();
    fields->setMessage({});
    return makeFixedHeightArea(fields, height, parent);
}

}  // namespace chronoscope
