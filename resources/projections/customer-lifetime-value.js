// Per customer: orders placed, amounts paid and refunded, and lifetime value (paid minus refunded).
function cents(amount) { return Math.round(amount * 100) / 100; }

function customer(s, id) {
    var key = 'customer-' + id;
    if (!s.customers[key]) s.customers[key] = { name: null, orders: 0, paid: 0, refunded: 0, value: 0 };
    return s.customers[key];
}

fromAll()
    .when({
        $init: function () { return { customers: {}, orderCustomer: {} }; },
        CustomerRegistered: function (s, e) { customer(s, e.data.customerId).name = e.data.name; },
        OrderPlaced: function (s, e) {
            s.orderCustomer[e.streamId] = e.data.customerId;
            customer(s, e.data.customerId).orders += 1;
        },
        PaymentReceived: function (s, e) {
            var id = s.orderCustomer[e.streamId];
            if (id === undefined) return;
            var c = customer(s, id);
            c.paid = cents(c.paid + e.data.amount);
            c.value = cents(c.paid - c.refunded);
        },
        RefundIssued: function (s, e) {
            var id = s.orderCustomer[e.streamId];
            if (id === undefined) return;
            var c = customer(s, id);
            c.refunded = cents(c.refunded + e.data.amount);
            c.value = cents(c.paid - c.refunded);
        }
    })
    .transformBy(function (s) { return s.customers; });
