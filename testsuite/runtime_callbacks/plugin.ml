let alarms = ref 0
let () =
  Api.plugin_alarm := (fun () -> incr alarms);
  Api.plugin_alarms := (fun () -> !alarms);
  Api.plugin_sample := (fun _ -> Api.note "plugin sampled");
  Api.plugin_install_handler := (fun signal ->
    Sys.set_signal signal
      (Sys.Signal_handle (fun s ->
         Api.note (Printf.sprintf "plugin handler ran (%s)"
           (if s = Sys.sigusr1 then "sigusr1" else "other")))));
  (* The plugin sends a signal whose handler is the host's *)
  Api.plugin_send := (fun signal ->
    Unix.kill (Unix.getpid ()) signal;
    (* Handlers run at the next poll point at the latest *)
    ignore (Sys.opaque_identity (List.init 10 Fun.id));
    Api.note "plugin after its signal");
  Api.plugin_raising_handler := (fun signal ->
    Sys.set_signal signal
      (Sys.Signal_handle (fun _ -> raise (Api.Interrupted "by the plugin's handler"))));
  Api.plugin_at_exit := (fun () -> print_endline "plugin at_exit ran");
  Api.plugin_uncaught := (fun e _ ->
    Printf.printf "plugin's uncaught-exception handler: %s\n%!" (Printexc.to_string e));
  at_exit (fun () -> print_endline "at_exit registered by the plugin ran")
