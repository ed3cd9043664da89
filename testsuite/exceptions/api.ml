exception Host_error of string * int
let plugin_raiser : (string -> unit) ref = ref (fun _ -> ())
let plugin_catcher : ((unit -> unit) -> string) ref = ref (fun _ -> "")
let plugin_exn : exn option ref = ref None
