fromAll().when({$any: 
    function(state, event) {
        if (event.body) 
            return event.body; 
            else return {};
    }
});
