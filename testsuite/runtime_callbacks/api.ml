(* The plugin's entry points and what the callbacks record. *)
let log : string list ref = ref []
let note s = log := s :: !log
let flush_log what =
  Printf.printf "%s: %s\n%!" what (String.concat ", " (List.rev !log));
  log := []
let plugin_alarm : (unit -> unit) ref = ref (fun () -> ())
let plugin_alarms : (unit -> int) ref = ref (fun () -> 0)
let plugin_sample : (int -> unit) ref = ref (fun _ -> ())
let plugin_install_handler : (int -> unit) ref = ref (fun _ -> ())
let plugin_send : (int -> unit) ref = ref (fun _ -> ())
let plugin_raising_handler : (int -> unit) ref = ref (fun _ -> ())
let plugin_at_exit : (unit -> unit) ref = ref (fun () -> ())
let plugin_uncaught : (exn -> Printexc.raw_backtrace -> unit) ref = ref (fun _ _ -> ())
exception Interrupted of string
