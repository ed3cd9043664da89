(* Effects and exceptions shared by host and plugin; the plugin's entry points. *)
type _ Effect.t += Ask : int -> int Effect.t
exception Stop of string
let plugin_same_side : (unit -> string) ref = ref (fun () -> "")
let plugin_square : (int -> int) ref = ref (fun n -> n)
let plugin_sum_with : ((int -> int) -> int) ref = ref (fun _ -> 0)
let plugin_discontinue : (string -> int) ref = ref (fun _ -> 0)
let plugin_perform_ask : (int -> int) ref = ref (fun _ -> 0)
let plugin_catch_unhandled : ((unit -> int) -> string) ref = ref (fun _ -> "")
let plugin_resume_twice : (unit -> int) ref = ref (fun () -> 0)
