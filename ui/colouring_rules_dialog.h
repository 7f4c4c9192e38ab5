#pragma once
// View › Colouring Rules…: the list of filter expression → colour rules of the Events
// list, in the order they apply (the first match wins). Add, remove, reorder, edit an
// expression in place (checked as it is typed) and pick a colour.

#include "model/colouring_rules.h"

#include <QDialog>

class QTableWidget;
class QTableWidgetItem;

namespace chronoscope {

class ColouringRulesDialog : public QDialog {
    Q_OBJECT
public:
    explicit ColouringRulesDialog(const QList<ColouringRule>& rules, QWidget* parent = nullptr);

    // The rules with a valid expression, in order.
    QList<ColouringRule> rules() const;
    QTableWidget* table() const { return m_table; }
    void addRule(const ColouringRule& rule);

private:
    void addNewRule();
    void removeCurrent();
    void moveCurrent(int offset);
    void chooseColour(int row);
    void checkExpression(QTableWidgetItem* item);

    QTableWidget* m_table;
};

}  // namespace chronoscope
