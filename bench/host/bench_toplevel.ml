(* The benchmark host as toplevel phrases, for the toplevel variants
   (bench/host/bench_host.ml without Dynlink): the script that #uses this
   file has already #loaded bench_api.cmxs and the kernel's .cmxs, so the
   kernel runs natively and only this loop is toplevel code. *)

let env name default = Option.value (Sys.getenv_opt name) ~default

let () =
  let name = env "BENCH_KERNEL" "" in
  let n = int_of_string (env "BENCH_N" "1000") in
  let reps = int_of_string (env "BENCH_REPS" "3") in
  let run =
    match List.assoc_opt name !Bench_api.kernels with
    | Some run -> run
    | None -> prerr_endline ("unknown kernel " ^ name); exit 2
  in
  for _ = 1 to reps do
    let t0 = Sys.time () in
    let checksum = run n in
    let t1 = Sys.time () in
    Printf.printf "time %.9f checksum %d\n%!" (t1 -. t0) checksum
  done
