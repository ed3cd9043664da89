(* The effect both sides perform; the plugin's entry points. *)
type _ Effect.t += Ask : int -> int Effect.t
let plugin_battery : (unit -> string list) ref = ref (fun () -> [])
let plugin_raise : (string -> unit) ref = ref (fun _ -> ())
