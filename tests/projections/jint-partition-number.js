fromAll().partitionBy(function(event){
    return event.body.index;
}).when({$any:function(event, state) {
    return {};
}});
