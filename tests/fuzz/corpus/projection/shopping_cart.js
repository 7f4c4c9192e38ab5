fromCategory("shoppingCart")
  .foreachStream()
  .when({
    $init() {
      return { count: 0 };
    },
    ItemAdded(state) {
      state.count += 1;
      return state;
    },
  })
