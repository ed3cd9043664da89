(* The reference for the crossing cost: C calling an OCaml closure of the
   same side with caml_callback (the way C libraries call OCaml), in a
   program of its own because a bytecode program needs -custom for C. *)
external c_loop1 : (int -> int) -> int -> int = "bench_c_loop1"

let[@inline never] f1 x = x + 1

let () =
  let n = int_of_string (Option.value (Sys.getenv_opt "BENCH_N") ~default:"1000") in
  let reps = int_of_string (Option.value (Sys.getenv_opt "BENCH_REPS") ~default:"3") in
  for _ = 1 to reps do
    let t0 = Sys.time () in
    let checksum = c_loop1 f1 n in
    let t1 = Sys.time () in
    Printf.printf "time %.9f checksum %d\n%!" (t1 -. t0) checksum
  done
