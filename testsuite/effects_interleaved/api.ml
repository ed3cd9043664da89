type _ Effect.t += Ask : string -> int Effect.t

(* [host_down n] and the plugin's [down n] call each other until n = 0,
   where the side that is called performs [Ask side]; each level adds 1. *)
let plugin_down : (int -> int) ref = ref (fun _ -> 0)
let rec host_down n =
  if n = 0 then Effect.perform (Ask "host") else 1 + !plugin_down (n - 1)

let plugin_handle : ((unit -> int) -> int) ref = ref (fun f -> f ())
let plugin_shallow : ((unit -> int) -> int) ref = ref (fun f -> f ())
