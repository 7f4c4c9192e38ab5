// Payments, refunds and net revenue per day (UTC) over all orders.
function cents(amount) { return Math.round(amount * 100) / 100; }

function day(s, e) {
    var key = e.time.substring(0, 10);
    if (!s[key]) s[key] = { payments: 0, received: 0, refunds: 0, refunded: 0, net: 0 };
    return s[key];
}

fromCategory('order')
    .when({
        $init: function () { return {}; },
        PaymentReceived: function (s, e) {
            var d = day(s, e);
            d.payments += 1;
            d.received = cents(d.received + e.data.amount);
            d.net = cents(d.received - d.refunded);
        },
        RefundIssued: function (s, e) {
            var d = day(s, e);
            d.refunds += 1;
            d.refunded = cents(d.refunded + e.data.amount);
            d.net = cents(d.received - d.refunded);
        }
    });
