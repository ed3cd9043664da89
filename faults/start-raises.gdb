# The first start of the guest (the first load): the allocation of its
# stack fails, so guest_stack raises Out_of_memory inside
# caml_crossload_init, under its init mutex.  The next load must start the
# guest (not wait forever for the mutex) and run the plugin.
set pagination off
set confirm off
set breakpoint pending on
break caml_crossload_init
run
delete
tbreak caml_alloc_stack_noexc
continue
return (struct stack_info *) 0
continue
