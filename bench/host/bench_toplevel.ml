(* The benchmark host as toplevel phrases, for the toplevel variants
   (bench/host/bench_host.ml without Dynlink): the script that #uses this
   file has already #loaded bench_api.cmxs and the kernel's .cmxs, so the
   kernel runs natively. *)

let () = Bench_api.run_selected_kernel ()
