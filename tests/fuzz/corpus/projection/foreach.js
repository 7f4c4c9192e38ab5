options({ $includeLinks: false });
fromAll().foreachStream().when({
  $created: function (s, e) { s.created = e.position; },
  $any: function (s, e) { s.n = (s.n || 0) + 1; emit('out-' + e.streamId, 'Seen', { n: s.n }); }
}).filterBy(function (s) { return s.n > 0; }).outputState()
