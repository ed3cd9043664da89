(* Runs one registered kernel BENCH_REPS times on input BENCH_N and prints
   the time of each run (processor time, or wall-clock time with
   BENCH_CLOCK=wall: Bench_api.run_selected_kernel); the loading of a
   plugin is timed apart.
   BENCH_PLUGIN, if set, names the kernel unit to load with Dynlink first;
   otherwise the kernel is linked into this program.  BENCH_SECOND_PLUGIN,
   if set too, names a unit loaded (and timed) after it. *)

(* The host's side of the crossing kernels: functions the plugin calls... *)
let[@inline never] host_f1 x = x + 1
let[@inline never] host_f2 x y = x + y
let[@inline never] host_f3 x y z = x + y + z
let[@inline never] host_f5 a b c d e = a + b + c + d + e
let[@inline never] host_f10 a b c d e f g h i j =
  a + b + c + d + e + f + g + h + i + j
let host_raise x = if x >= 0 then raise Exit else x

(* ... and loops here that call the plugin's functions. *)
let loop1 n =
  let f = !Bench_api.plugin_f1 in
  let s = ref 0 in for i = 1 to n do s := !s + f i done; !s
let loop2 n =
  let f = !Bench_api.plugin_f2 in
  let s = ref 0 in for i = 1 to n do s := !s + f i i done; !s
let loop3 n =
  let f = !Bench_api.plugin_f3 in
  let s = ref 0 in for i = 1 to n do s := !s + f i i i done; !s
let loop5 n =
  let f = !Bench_api.plugin_f5 in
  let s = ref 0 in for i = 1 to n do s := !s + f i i i i i done; !s
let loop10 n =
  let f = !Bench_api.plugin_f10 in
  let s = ref 0 in for i = 1 to n do s := !s + f i i i i i i i i i i done; !s
let loop_exn n =
  let f = !Bench_api.plugin_raise in
  let s = ref 0 in
  for i = 1 to n do s := !s + (try f i with Exit -> 1) done; !s

(* The host's side of the effects kernels (kernels/effects.ml, which has
   the same handler and loops on the plugin's side): a handler that answers
   every Tick i with continue k i, a loop of n performs, and a loop of n
   calls to a plugin's function, outside any handler or under this one. *)
let effects_handle body n =
  Effect.Deep.try_with body n
    { effc = (fun (type a) (e : a Effect.t) ->
        match e with
        | Bench_api.Tick i ->
            Some (fun (k : (a, _) Effect.Deep.continuation) ->
                Effect.Deep.continue k i)
        | _ -> None) }
let effects_perform_loop n =
  let s = ref 0 in
  for i = 1 to n do
    s := (!s + Effect.perform (Bench_api.Tick i)) land 0xFFFFFFF
  done;
  !s
let effects_call_loop f n =
  let s = ref 0 in for i = 1 to n do s := (!s + f i) land 0xFFFFFFF done; !s
let effects_call_loop_handled f n = effects_handle (effects_call_loop f) n

(* The floors of the crossing pairs (kernels/effects.ml): the perform loop
   with a call of [work] in place of the perform, and what the handler
   above does for one effect, without the effect: its effect function
   applied and matched, the function it returns applied to something in
   place of the continuation, and a call of two arguments in place of
   continue, which returns the answer *)
let effects_floor_loop work n =
  let s = ref 0 in
  for i = 1 to n do
    s := (!s + work (Bench_api.Tick i)) land 0xFFFFFFF
  done;
  !s
let[@inline never] continue_in_place (k : unit) v =
  ignore (Sys.opaque_identity k); v
let effects_effc (type a) (e : a Effect.t) : (unit -> a) option =
  match e with
  | Bench_api.Tick i -> Some (fun k -> continue_in_place k i)
  | _ -> None
let effects_handler_work (e : int Effect.t) =
  match (Sys.opaque_identity effects_effc) e with
  | Some f -> f ()
  | None -> 0

let () =
  Bench_api.host_f1 := host_f1;
  Bench_api.host_f2 := host_f2;
  Bench_api.host_f3 := host_f3;
  Bench_api.host_f5 := host_f5;
  Bench_api.host_f10 := host_f10;
  Bench_api.host_raise := host_raise;
  (* The host's own Stdlib iterators, and its wall clock *)
  Bench_api.host_list_map := List.map;
  Bench_api.host_hashtbl_iter := Hashtbl.iter;
  Bench_api.wall_clock := Unix.gettimeofday;
  (* Its effect handler and loops *)
  Bench_api.host_effects_handle := effects_handle;
  Bench_api.host_effects_perform_loop := effects_perform_loop;
  Bench_api.host_effects_call_loop := effects_call_loop;
  Bench_api.host_effects_call_loop_handled := effects_call_loop_handled;
  Bench_api.host_effects_floor_loop := effects_floor_loop;
  Bench_api.host_effects_handler_work := effects_handler_work;
  List.iter (fun (name, run) -> Bench_api.register name run)
    [ "host_calls_plugin_1", loop1;
      "host_calls_plugin_2", loop2;
      "host_calls_plugin_3", loop3;
      "host_calls_plugin_5", loop5;
      "host_calls_plugin_10", loop10;
      "host_calls_plugin_exn", loop_exn ]

let () =
  Dynlink.allow_unsafe_modules true;
  (match Sys.getenv_opt "BENCH_PLUGIN" with
   | Some file ->
       let t0 = Sys.time () in
       Dynlink.loadfile file;
       Printf.printf "load %.9f\n%!" (Sys.time () -. t0);
       (* A later load, of another unit (BENCH_SECOND_PLUGIN) *)
       Option.iter (fun second ->
           let t0 = Sys.time () in
           Dynlink.loadfile second;
           Printf.printf "load2 %.9f\n%!" (Sys.time () -. t0))
         (Sys.getenv_opt "BENCH_SECOND_PLUGIN")
   | None -> ());
  Bench_api.run_selected_kernel ()
