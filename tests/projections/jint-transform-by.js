fromAll().when({
    $any: function(state, event) {
        state.a = '1';
        return state;
    }
})
.transformBy(function(state) {
    state.b = '2';
    return state;
});
