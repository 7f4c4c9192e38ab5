// Each order's status, customer, items, total, amounts paid and refunded (foreachStream over the order category).
function cents(amount) { return Math.round(amount * 100) / 100; }

fromCategory('order')
    .foreachStream()
    .when({
        $init: function () {
            return { status: 'new', customerId: null, items: 0, total: 0, paid: 0, refunded: 0, updatedAt: null };
        },
        OrderPlaced: function (s, e) {
            s.status = 'placed';
            s.customerId = e.data.customerId;
            s.channel = e.data.channel;
            s.placedAt = e.data.placedAt;
            s.updatedAt = e.time;
        },
        ItemAdded: function (s, e) {
            s.items += e.data.quantity;
            s.total = cents(s.total + e.data.quantity * e.data.unitPrice);
            s.updatedAt = e.time;
        },
        PaymentReceived: function (s, e) {
            s.paid = cents(s.paid + e.data.amount);
            s.status = s.paid >= s.total ? 'paid' : 'partially paid';
            s.updatedAt = e.time;
        },
        OrderShipped: function (s, e) {
            s.status = 'shipped';
            s.carrier = e.data.carrier;
            s.updatedAt = e.time;
        },
        OrderDelivered: function (s, e) { s.status = 'delivered'; s.updatedAt = e.time; },
        OrderCancelled: function (s, e) { s.status = 'cancelled'; s.reason = e.data.reason; s.updatedAt = e.time; },
        OrderReturned: function (s, e) { s.status = 'returned'; s.reason = e.data.reason; s.updatedAt = e.time; },
        RefundIssued: function (s, e) {
            s.refunded = cents(s.refunded + e.data.amount);
            if (s.refunded >= s.paid) s.status = 'refunded';
            s.updatedAt = e.time;
        }
    });
