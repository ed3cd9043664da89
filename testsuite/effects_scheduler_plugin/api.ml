(* The effects of the plugin's scheduler, its entry point and its yield. *)
type _ Effect.t += Yield : unit Effect.t | Spawn : (unit -> unit) -> unit Effect.t
let plugin_run : ((unit -> unit) list -> unit) ref = ref (fun _ -> ())
let plugin_yield : (unit -> unit) ref = ref (fun () -> ())
