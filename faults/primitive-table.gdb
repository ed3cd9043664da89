# The first start of the guest (the first load): the allocation of its
# primitive table fails after the stub arena is reserved, so
# caml_crossload_init raises Failure.  The next load must start the guest
# with the same arena (not reserve another) and run the plugin.
set pagination off
set confirm off
set breakpoint pending on
break caml_crossload_init
run
delete
break prim_table_add
continue
delete
tbreak caml_stat_alloc_noexc
continue
return (void *) 0
set $arena = caml_bc_stub_base
break exit
continue
printf "gdb-check: the second start used the first one's arena: %d\n", caml_bc_stub_base == $arena
continue
