(* Deep recursion alternating host -> plugin -> host -> ...: the host's half
   is in main.ml, so every level crosses between the program and the plugin. *)
exception Bottom of int

let host_step : (int -> int -> int) ref = ref (fun _ _ -> 0)
let plugin_step : (int -> int -> int) ref = ref (fun _ _ -> 0)
