fromAll()
  .when({
    $init() {
      return { count: 0, items: 0 };
    },
    ItemAdded(state, event) {
      state.items += 1;
      if (event.body.Description.indexOf("Xbox One S") >= 0) {
        state.count += 1;
      }
      return state;
    },
  })
