fromCategory('order').partitionBy(function (e) { return e.data.sku; }).when({
  $init: function () { return { count: 0 }; },
  OrderPlaced: function (s, e) { s.count += e.data.amount; }
}).transformBy(function (s) { return s; })
