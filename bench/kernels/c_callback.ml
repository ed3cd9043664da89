(* The reference for the crossing cost: C calling an OCaml closure of the
   same side with caml_callback (the way C libraries call OCaml), in a
   program of its own because a bytecode program needs -custom for C. *)
external c_loop1 : (int -> int) -> int -> int = "bench_c_loop1"

let[@inline never] f1 x = x + 1

let () =
  Bench_api.register "c_calls_ocaml_1" (c_loop1 f1);
  Bench_api.run_selected_kernel ()
