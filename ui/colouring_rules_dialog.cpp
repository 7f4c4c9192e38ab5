#include "ui/colouring_rules_dialog.h"

#include "model/filter_check.h"

#include <QColorDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace chronoscope {
namespace {

enum Column { ExpressionColumn, ColourColumn };
const QColor kFirstColour(255, 120, 120, 70);

}  // namespace

ColouringRulesDialog::ColouringRulesDialog(const QList<ColouringRule>& rules, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Colouring Rules"));
    auto* layout = new QVBoxLayout(this);
    auto* hint = new QLabel(tr("Rows matching a filter expression get its colour; the first matching rule wins. "
                               "Double-click an expression to edit it, a colour to change it."),
                            this);
    hint->setWordWrap(true);
    layout->addWidget(hint);

    m_table = new QTableWidget(0, 2, this);
    m_table->setObjectName(QStringLiteral("colouringRulesTable"));
    m_table->setHorizontalHeaderLabels({tr("Filter expression"), tr("Colour")});
    m_table->horizontalHeader()->setSectionResizeMode(ExpressionColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_table, 1);

    auto* buttons = new QHBoxLayout;
    auto addButton = [&](const QString& text, auto slot) {
        auto* button = new QPushButton(text, this);
        connect(button, &QPushButton::clicked, this, slot);
        buttons->addWidget(button);
    };
    addButton(tr("&Add"), [this] { addNewRule(); });
    addButton(tr("&Remove"), [this] { removeCurrent(); });
    addButton(tr("Move &Up"), [this] { moveCurrent(-1); });
    addButton(tr("Move &Down"), [this] { moveCurrent(1); });
    buttons->addStretch(1);
    layout->addLayout(buttons);

    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);

    for (const ColouringRule& rule : rules) addRule(rule);
    connect(m_table, &QTableWidget::itemChanged, this, &ColouringRulesDialog::checkExpression);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
        if (column == ColourColumn) chooseColour(row);
    });
    resize(560, 320);
}

void ColouringRulesDialog::addRule(const ColouringRule& rule)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto* expression = new QTableWidgetItem(rule.expression);
    m_table->setItem(row, ExpressionColumn, expression);
    auto* colour = new QTableWidgetItem(rule.colour.name());
    colour->setFlags(colour->flags() & ~Qt::ItemIsEditable);
    colour->setData(Qt::BackgroundRole, rule.colour);
    colour->setData(Qt::UserRole, rule.colour);
    m_table->setItem(row, ColourColumn, colour);
    checkExpression(expression);
}

QList<ColouringRule> ColouringRulesDialog::rules() const
{
    QList<ColouringRule> rules;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString expression = m_table->item(row, ExpressionColumn)->text().trimmed();
        const QColor colour = m_table->item(row, ColourColumn)->data(Qt::UserRole).value<QColor>();
        if (!expression.isEmpty() && checkFilter(expression).valid && colour.isValid()) rules.append({expression, colour});
    }
    return rules;
}

void ColouringRulesDialog::addNewRule()
{
    static const QColor palette[] = {kFirstColour, QColor(120, 200, 120, 70), QColor(120, 160, 255, 70),
                                     QColor(255, 200, 80, 70), QColor(200, 120, 255, 70)};
    addRule({QStringLiteral("type == \"\""), palette[m_table->rowCount() % std::size(palette)]});
    const int row = m_table->rowCount() - 1;
    m_table->setCurrentCell(row, ExpressionColumn);
    m_table->editItem(m_table->item(row, ExpressionColumn));
}

void ColouringRulesDialog::removeCurrent()
{
    if (m_table->currentRow() >= 0) m_table->removeRow(m_table->currentRow());
}

void ColouringRulesDialog::moveCurrent(int offset)
{
    const int row = m_table->currentRow();
    const int target = row + offset;
    if (row < 0 || target < 0 || target >= m_table->rowCount()) return;
    QList<QTableWidgetItem*> taken;
    for (int column = 0; column < m_table->columnCount(); ++column) taken.append(m_table->takeItem(row, column));
    m_table->removeRow(row);
    m_table->insertRow(target);
    for (int column = 0; column < taken.size(); ++column) m_table->setItem(target, column, taken[column]);
    m_table->setCurrentCell(target, ExpressionColumn);
}

void ColouringRulesDialog::chooseColour(int row)
{
    QTableWidgetItem* item = m_table->item(row, ColourColumn);
    const QColor colour = QColorDialog::getColor(item->data(Qt::UserRole).value<QColor>(), this, tr("Rule Colour"),
                                                 QColorDialog::ShowAlphaChannel);
    if (!colour.isValid()) return;
    item->setText(colour.name());
    item->setData(Qt::BackgroundRole, colour);
    item->setData(Qt::UserRole, colour);
}

void ColouringRulesDialog::checkExpression(QTableWidgetItem* item)
{
    if (!item || item->column() != ExpressionColumn) return;
    const FilterCheck check = checkFilter(item->text());
    const QSignalBlocker blocker(m_table);
    item->setForeground(check.valid ? QBrush() : QBrush(Qt::red));
    item->setToolTip(check.valid ? QString() : tr("Column %1: %2 (this rule is left out)").arg(check.column).arg(check.message));
}

}  // namespace chronoscope
