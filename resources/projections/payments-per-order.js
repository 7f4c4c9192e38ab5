// The payments and refunds of each order that received a payment; a payment id seen twice is listed in duplicates.
function cents(amount) { return Math.round(amount * 100) / 100; }

fromCategory('order')
    .foreachStream()
    .when({
        $init: function () { return { payments: [], paid: 0, refunded: 0, duplicates: [] }; },
        PaymentReceived: function (s, e) {
            var seen = s.payments.some(function (p) { return p.paymentId === e.data.paymentId; });
            if (seen) s.duplicates.push(e.data.paymentId);
            s.payments.push({ paymentId: e.data.paymentId, amount: e.data.amount, method: e.data.method, position: e.position });
            s.paid = cents(s.paid + e.data.amount);
        },
        RefundIssued: function (s, e) { s.refunded = cents(s.refunded + e.data.amount); }
    });
