#pragma once
// The Event pane's fields above its tabs: the event's type (and whether it is ignored or
// corrective), then its position, stream, times, id and correlation id, a name and a
// value per row.
//
// Plain-text labels in a grid, made once and only re-set: showing an event sets the
// values that changed, and lays out nothing outside the fields' own area. A rich-text
// label with a table cost the GUI thread 1.3-3.2 ms per event (QTextDocument's table
// layout, docs/performance.md); a plain label's text is shaped once. The values and the
// type are selectable with the mouse (and copied with Ctrl+C or the label's menu); the
// menu of the names and the background copies every field.
//
// Thread: GUI.

#include <QString>
#include <QWidget>

#include <array>

class QLabel;
class QScrollArea;

namespace chronoscope {

struct EventDetails;

class EventFieldsLabel : public QWidget {
    Q_OBJECT
public:
    enum Field { Position, Stream, Time, Recorded, Id, Correlation, FieldCount };

    explicit EventFieldsLabel(QWidget* parent = nullptr);

    // Shows the fields of `details` (its error is not looked at).
    void setEvent(const EventDetails& details);
    // Shows `message` in place of the fields (italic when `italic`).
    void setMessage(const QString& message, bool italic = false);
    // What is shown, as plain text: the message, or the heading (type, then "ignored"
    // and "corrective, inserted after N" when they apply) and a "Name\tValue" line per
    // field shown, each line ending in '\n'.
    QString text() const;

    // A field's name as shown ("Position"), and the labels of a field (tests).
    static QString fieldName(Field field);
    QLabel* nameLabel(Field field) const { return m_names[field]; }
    QLabel* valueLabel(Field field) const { return m_values[field]; }
    QLabel* typeLabel() const { return m_type; }
    QLabel* messageLabel() const { return m_message; }

private:
    // Shows the message or the fields.
    void setMessageShown(bool shown);

    QLabel* m_message;
    QLabel* m_type;
    QLabel* m_ignored;
    QLabel* m_corrective;     // "corrective" (bold)
    QLabel* m_insertedAfter;  // ", inserted after N"
    QWidget* m_heading;
    std::array<QLabel*, FieldCount> m_names{};
    std::array<QLabel*, FieldCount> m_values{};
    bool m_messageShown = false;
};

// Puts `fields` into a new frameless scroll area whose fixed height is that of the
// tallest event's fields (every field, ignored and corrective): a new event repaints the
// fields and asks no layout of the pane or the window around them. Returns the area, to
// be added to a layout in place of `fields`. A value wrapped over more lines than the
// room scrolls.
QScrollArea* makeEventFieldsArea(EventFieldsLabel* fields, QWidget* parent);

}  // namespace chronoscope
