(* The benchmark host's interface. Kernels register themselves here. The
   crossing kernels call functions of the other side through the refs
   below, which the host program and the crossing plugin fill: the calls
   then cross between native code and bytecode when the two sides differ,
   whichever side this unit itself is on (in a bytecode host loading .cmxs
   plugins it must be native code, see bench_loader.ml). *)

let kernels : (string * (int -> int)) list ref = ref []
let register name run = kernels := (name, run) :: !kernels

(* The wall clock, for kernels that run several domains (whose processor
   times add up): Unix.gettimeofday, set by bench_host.ml, since this unit
   links no library (it is also loaded as a .cmxs on its own). *)
let wall_clock : (unit -> float) ref =
  ref (fun () -> failwith "Bench_api: no wall clock in this host")

(* Runs the registered kernel BENCH_KERNEL BENCH_REPS times on input
   BENCH_N and prints the time of each run: processor time, or wall-clock
   time if BENCH_CLOCK=wall. The last step of every host (bench_host.ml,
   bench_toplevel.ml, c_callback.ml). *)
let run_selected_kernel () =
  let env name default = Option.value (Sys.getenv_opt name) ~default in
  let name = env "BENCH_KERNEL" "" in
  let n = int_of_string (env "BENCH_N" "1000") in
  let reps = int_of_string (env "BENCH_REPS" "3") in
  let run =
    match List.assoc_opt name !kernels with
    | Some run -> run
    | None -> prerr_endline ("unknown kernel " ^ name); exit 2
  in
  let clock =
    match env "BENCH_CLOCK" "process" with
    | "process" -> Sys.time
    | "wall" -> fun () -> !wall_clock ()
    | c -> prerr_endline ("unknown clock " ^ c); exit 2
  in
  for _ = 1 to reps do
    (* Every repetition starts with an empty minor heap, whatever the host
       allocated before (loading a plugin, starting a toplevel): otherwise
       where the minor collections fall in an allocating kernel depends on
       it, and with them how much the kernel promotes (binary_trees
       executes 16% more instructions in a bytecode host than in the
       native program with the minor heap as each host leaves it, 5% with
       it emptied; valgrind --tool=callgrind, 2026-12-04). *)
    Gc.minor ();
    let t0 = clock () in
    let checksum = run n in
    let t1 = clock () in
    Printf.printf "time %.9f checksum %d\n%!" (t1 -. t0) checksum
  done

let unset _ = failwith "Bench_api: function not set"

(* Host functions, set by bench_host.ml *)
let host_f1 : (int -> int) ref = ref unset
let host_f2 : (int -> int -> int) ref = ref (fun _ -> unset)
let host_f3 : (int -> int -> int -> int) ref = ref (fun _ _ -> unset)
let host_f5 : (int -> int -> int -> int -> int -> int) ref =
  ref (fun _ _ _ _ -> unset)
let host_f10 :
  (int -> int -> int -> int -> int -> int -> int -> int -> int -> int -> int) ref =
  ref (fun _ _ _ _ _ _ _ _ _ -> unset)
let host_raise : (int -> int) ref = ref unset

(* Plugin functions, set by the crossing kernel (kernels/crossing.ml) *)
let plugin_f1 : (int -> int) ref = ref unset
let plugin_f2 : (int -> int -> int) ref = ref (fun _ -> unset)
let plugin_f3 : (int -> int -> int -> int) ref = ref (fun _ _ -> unset)
let plugin_f5 : (int -> int -> int -> int -> int -> int) ref =
  ref (fun _ _ _ _ -> unset)
let plugin_f10 :
  (int -> int -> int -> int -> int -> int -> int -> int -> int -> int -> int) ref =
  ref (fun _ _ _ _ _ _ _ _ _ -> unset)
let plugin_raise : (int -> int) ref = ref unset

(* Iterators of the host's Stdlib, set by bench_host.ml, over the
   plugin's closures (kernels/iterators.ml) *)
let host_list_map : ((int -> int) -> int list -> int list) ref =
  ref (fun _ -> unset)
let host_hashtbl_iter : ((int -> int -> unit) -> (int, int) Hashtbl.t -> unit) ref =
  ref (fun _ -> unset)

(* The effects kernels (kernels/effects.ml): the effect that one side
   performs and the other handles, which crosses between native code and
   bytecode when the two sides differ (Tick i is answered with i)... *)
type _ Effect.t += Tick : int -> int Effect.t

(* ... and the host's side of them, set by bench_host.ml: its handler
   ([host_effects_handle body n] runs [body n] under it), its loop of
   performs, and its loop of calls to a plugin's function, outside any
   handler and under its handler *)
let host_effects_handle : ((int -> int) -> int -> int) ref = ref (fun _ -> unset)
let host_effects_perform_loop : (int -> int) ref = ref unset
let host_effects_call_loop : ((int -> int) -> int -> int) ref = ref (fun _ -> unset)
let host_effects_call_loop_handled : ((int -> int) -> int -> int) ref =
  ref (fun _ -> unset)

(* The floors of the crossing pairs (kernels/effects.ml): the host's loop
   of the perform loop's shape with a call of [work] in place of the
   perform ([host_effects_floor_loop work n]), and the host's handler's
   work for one effect without the effect ([host_effects_handler_work]) *)
let host_effects_floor_loop : ((int Effect.t -> int) -> int -> int) ref =
  ref (fun _ -> unset)
let host_effects_handler_work : (int Effect.t -> int) ref = ref unset
