# The first start of the guest: the allocation of its stack fails, so
# guest_stack raises Out_of_memory inside caml_crossload_init, under its
# init mutex.  The next start must run (not wait forever for the mutex).
set pagination off
set confirm off
break caml_crossload_init
run
delete
tbreak caml_alloc_stack_noexc
continue
return (struct stack_info *) 0
continue
