(* The effects of the host's scheduler, and the plugin's tasks. *)
type _ Effect.t += Yield : unit Effect.t | Spawn : (unit -> unit) -> unit Effect.t
let yield () = Effect.perform Yield
let spawn f = Effect.perform (Spawn f)
let plugin_tasks : (unit -> (unit -> unit) list) ref = ref (fun () -> [])
