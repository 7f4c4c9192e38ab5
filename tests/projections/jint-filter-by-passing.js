fromAll().when({$any: 
    function(state, event) {
        state.a = event.body.a;
        return state;
    }
})
.filterBy(function(state) {
    return state.a == '2';
});
