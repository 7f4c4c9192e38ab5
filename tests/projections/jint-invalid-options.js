options({
    thisIsNotAnOption: true,
});
fromAll().when({
    $any:function(state, event) {
        return state;
    }});
