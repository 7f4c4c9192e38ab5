fromCategory("account")
  .partitionBy(function (event) {
    // Partition by event type
    return event.eventType
  })
  .when({
    // Count each type of event in the input streams
    $any: function (state, event) {
      var counts = Object.assign({}, state);
      counts[event.eventType] = (state[event.eventType] ?? 0) + 1;
      return counts;
    },
  })
