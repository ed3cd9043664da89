(* Runs one registered kernel BENCH_REPS times on input BENCH_N and prints
   the processor time of each run; the loading of a plugin is timed apart.
   BENCH_PLUGIN, if set, names the kernel unit to load with Dynlink first;
   otherwise the kernel is linked into this program. *)

let env name default = Option.value (Sys.getenv_opt name) ~default

let () =
  Dynlink.allow_unsafe_modules true;
  (match Sys.getenv_opt "BENCH_PLUGIN" with
   | Some file ->
       let t0 = Sys.time () in
       Dynlink.loadfile file;
       Printf.printf "load %.9f\n%!" (Sys.time () -. t0)
   | None -> ());
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
