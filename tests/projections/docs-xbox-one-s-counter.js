fromAll()
  .when({
    $init() {
      return { count: 0 };
    },
    ItemAdded(state, event) {
      if (event.body.Description.indexOf("Xbox One S") >= 0) {
        state.count += 1;
      }
      return state;
    },
  })
