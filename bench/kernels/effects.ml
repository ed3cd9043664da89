(* Effects across the boundary: n perform/continue pairs, each an
   Effect.perform (Tick i) answered by continue k i from an
   Effect.Deep.try_with handler, with the handler and the loop of performs
   each in the host (bench_host.ml, through Bench_api.host_effects_handle
   and host_effects_perform_loop) or in this unit: the four placements.
   Loaded as a .cmo by a native host (or as a .cmxs by a bytecode host),
   a pair whose handler and perform are on different sides crosses between
   native code and bytecode twice: the perform, and the continue. In a pure
   program the four placements are the same pair.

   The last two kernels make n calls of the host to this unit's function,
   outside any handler and under the host's handler (which the calls do
   not use): what a handler costs the crossing calls made under it.

   Every pair kernel computes the same checksum, and so does every call
   kernel.

   The floor kernels are the two crossing pairs without the effect: the
   loop of the performing side with a call of the handling side's work in
   place of the perform (the handler's effect function applied and
   matched, the function it returns applied, a call in place of continue).
   A crossing pair does at least that work: its loop, the handler's, and
   control going to the other side and back, which a crossing call does
   at the least cost the guest has. They compute the pair kernels'
   checksum. *)

let handle body n =
  Effect.Deep.try_with body n
    { effc = (fun (type a) (e : a Effect.t) ->
        match e with
        | Bench_api.Tick i ->
            Some (fun (k : (a, _) Effect.Deep.continuation) ->
                Effect.Deep.continue k i)
        | _ -> None) }

let perform_loop n =
  let s = ref 0 in
  for i = 1 to n do
    s := (!s + Effect.perform (Bench_api.Tick i)) land 0xFFFFFFF
  done;
  !s

(* As bench_host.ml's effects_floor_loop and effects_handler_work, and
   copied on purpose, as handle and perform_loop are: each side must run
   its own kind of code (bytecode in the plugin of a native host, native
   in the host), which a function shared through Bench_api would not;
   test/bench-kernels.test.ts checks that the two copies match. *)
let floor_loop work n =
  let s = ref 0 in
  for i = 1 to n do
    s := (!s + work (Bench_api.Tick i)) land 0xFFFFFFF
  done;
  !s
let[@inline never] continue_in_place (k : unit) v =
  ignore (Sys.opaque_identity k); v
let effc (type a) (e : a Effect.t) : (unit -> a) option =
  match e with
  | Bench_api.Tick i -> Some (fun k -> continue_in_place k i)
  | _ -> None
let handler_work (e : int Effect.t) =
  match (Sys.opaque_identity effc) e with
  | Some f -> f ()
  | None -> 0

let[@inline never] f x = x + 1

let host_handles_host n =
  !Bench_api.host_effects_handle !Bench_api.host_effects_perform_loop n
let host_handles_plugin n = !Bench_api.host_effects_handle perform_loop n
let plugin_handles_host n = handle !Bench_api.host_effects_perform_loop n
let plugin_handles_plugin n = handle perform_loop n
let floor_host_handles_plugin n =
  floor_loop !Bench_api.host_effects_handler_work n
let floor_plugin_handles_host n =
  !Bench_api.host_effects_floor_loop handler_work n
let call_outside_handler n = !Bench_api.host_effects_call_loop f n
let call_under_handler n = !Bench_api.host_effects_call_loop_handled f n

let () =
  List.iter (fun (name, run) -> Bench_api.register name run)
    [ "effects_host_handles_host", host_handles_host;
      "effects_host_handles_plugin", host_handles_plugin;
      "effects_plugin_handles_host", plugin_handles_host;
      "effects_plugin_handles_plugin", plugin_handles_plugin;
      "effects_floor_host_handles_plugin", floor_host_handles_plugin;
      "effects_floor_plugin_handles_host", floor_plugin_handles_host;
      "effects_call_outside_handler", call_outside_handler;
      "effects_call_under_handler", call_under_handler ]
