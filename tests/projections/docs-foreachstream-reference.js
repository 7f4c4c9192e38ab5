fromStreams(["website-enquiries", "email-enquiries"]).foreachStream({
  // Count each type of event in the input streams
  $any: function (state, event) {
    return {
      ...state,
      // Increment the count on the depending on the type of the event
      [event.type]: (state[event.type] ?? 0) + 1,
    }
  },
})
