fromAll().foreachStream().when({
    $created: function(s, e) {
        emit('stream1', 'event1', {a:1});
    },
    event: function(s, e) {}
});
