fromAll().when({$any: 
    function(state, event) {
        state.count = state.count + 1;
        return state;
    }});
