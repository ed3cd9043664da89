(* The bytecode host of the byte+cmxs variant. A .cmxs plugin can only use
   units that are native code, so Bench_api, which the kernels register
   into, is loaded first as bench_api.cmxs; then bench_host.cmo, the
   bytecode host proper, which uses it and loads the kernel's .cmxs. *)
let () =
  Dynlink.allow_unsafe_modules true;
  Dynlink.loadfile "bench_api.cmxs";
  Dynlink.loadfile "bench_host.cmo"
