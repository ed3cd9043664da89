# The first start of the guest (the first load): an allocation fails
# after the interpreter's initialisation has threaded its code in place
# (the code fragment of apply_native_code, the second one that
# caml_bytecode_interpreter registers), so Out_of_memory is raised from a step
# that cannot be run twice.  The later loads must fail with a clear error
# instead of threading that code again, which would corrupt it.
set pagination off
set confirm off
set breakpoint pending on
break caml_crossload_init
run
delete
break caml_bytecode_interpreter
continue
delete
break caml_register_code_fragment
continue
continue
delete
tbreak malloc
continue
return (void *) 0
continue
