// The number of events by type and by category, and in total.
fromAll()
    .when({
        $init: function () { return { total: 0, byType: {}, byCategory: {} }; },
        $any: function (s, e) {
            s.total += 1;
            s.byType[e.eventType] = (s.byType[e.eventType] || 0) + 1;
            s.byCategory[e.category] = (s.byCategory[e.category] || 0) + 1;
        }
    });
